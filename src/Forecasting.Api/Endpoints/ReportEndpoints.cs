using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Endpoints;

/// <summary><c>GET /api/v1/reports/latest</c> and <c>GET /api/v1/charts/{name}.png</c>, from the report folder.</summary>
internal static partial class ReportEndpoints
{
    public static RouteGroupBuilder MapReportApi(this RouteGroupBuilder api)
    {
        api.MapGet("reports/latest", GetReport)
            .WithName("GetLatestReport")
            .WithSummary("The latest HTML report (charts embedded)")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("charts/{name}.png", GetChart)
            .WithName("GetChart")
            .WithSummary("One PNG chart of the latest report, e.g. forecast-all-all")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static Results<PhysicalFileHttpResult, ProblemHttpResult> GetReport(IOptions<ApiOptions> options)
    {
        var path = Path.GetFullPath(Path.Combine(options.Value.Reports, "report.html"));
        return File.Exists(path)
            ? TypedResults.PhysicalFile(path, "text/html; charset=utf-8")
            : Problems.NotFound("no report has been written yet; run 'forecasting report'");
    }

    private static Results<PhysicalFileHttpResult, ProblemHttpResult> GetChart(string name, IOptions<ApiOptions> options)
    {
        // Chart files are slugs of series keys (forecast-tutor-deepseek-v3.2): dashes and single dots between them,
        // never a separator, so the name cannot leave the charts folder; the full-path check below says so twice.
        if (!ChartName().IsMatch(name))
        {
            return Problems.BadRequest("a chart name is lower-case letters, digits and dashes (single dots between them)");
        }

        var folder = Path.GetFullPath(Path.Combine(options.Value.Reports, "charts")) + Path.DirectorySeparatorChar;
        var path = Path.GetFullPath(Path.Combine(folder, name + ".png"));
        if (!path.StartsWith(folder, StringComparison.Ordinal) || !File.Exists(path) || IsLink(path) || IsLink(folder.TrimEnd(Path.DirectorySeparatorChar)))
        {
            // A link in charts/ (or charts/ itself a link) could point anywhere: the report writer never makes one.
            return Problems.NotFound($"no chart '{name}' in the latest report");
        }

        return TypedResults.PhysicalFile(path, "image/png");
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    [GeneratedRegex("^[a-z0-9-]+(?:\\.[a-z0-9-]+)*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ChartName();
}
