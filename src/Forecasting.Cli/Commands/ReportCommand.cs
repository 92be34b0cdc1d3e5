using System.CommandLine;
using Forecasting.Api.Application;
using Forecasting.Core.Planning;
using Forecasting.ML.Registry;
using Forecasting.Reporting.Reports;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class ReportCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "Folder for report.html, report.md and charts/", DefaultValueFactory = _ => "out/report" };
        var target = CliSeries.TargetOption();
        var command = new Command("report", "Write the HTML and Markdown report, with PNG charts, of the latest stored forecast.") { output, target };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            await WriteAsync(parseResult, loggers, parseResult.GetValue(output)!, CliSeries.ParseTarget(parseResult.GetValue(target)), cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Shared with the demo: writes the report and prints the headlines and the recommendations.</summary>
    public static async Task<(Plan Plan, ReportFiles Files)> WriteAsync(ParseResult parseResult, ILoggerFactory loggers, string folder, Core.Series.ForecastTarget target, CancellationToken cancellationToken)
    {
        var settings = CliSettings.Load(parseResult);
        await using var store = await CliStore.OpenAsync(parseResult, loggers, cancellationToken);
        var data = await UsageData.LoadAsync(store, target, settings.PriceTable, cancellationToken);
        var registry = new ModelRegistry(parseResult.GetValue(CommonOptions.Models)!);
        (Plan Plan, ReportFiles Files)? written = null;
        await AnsiConsole.Status().StartAsync("Writing the report and charts", async _ =>
            written = await new ReportJob(store, registry, settings, TimeProvider.System).WriteAsync(data, folder, cancellationToken));
        var result = written!.Value;
        foreach (var line in ReportWriter.Headlines(result.Plan))
        {
            AnsiConsole.MarkupLineInterpolated($"  {line}");
        }

        foreach (var warning in result.Plan.Warnings)
        {
            AnsiConsole.MarkupLineInterpolated($"  [yellow]warning:[/] {warning}");
        }

        foreach (var r in result.Plan.Recommendations.Where(r => r.Severity != Severity.Info).OrderByDescending(r => r.Severity))
        {
            var colour = r.Severity == Severity.Critical ? "red" : "yellow";
            AnsiConsole.MarkupLineInterpolated($"  [{colour}]{r.Severity}[/] {r.Title}");
        }

        AnsiConsole.MarkupLineInterpolated($"[green]report[/] {result.Files.Html}");
        AnsiConsole.MarkupLineInterpolated($"[green]report[/] {result.Files.Markdown} ({result.Files.Charts.Count} charts in {Path.Combine(Path.GetDirectoryName(result.Files.Html)!, "charts")})");
        return result;
    }
}
