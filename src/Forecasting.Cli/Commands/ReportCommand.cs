using System.CommandLine;
using Forecasting.Application;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;
using Forecasting.Reporting.Reports;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class ReportCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "Folder for report.html, report.md and charts/", DefaultValueFactory = _ => "out/report" };
        var target = CliSeries.TargetOption();
        var command = new Command("report", "Write the HTML and Markdown report, with PNG charts, of the latest stored forecast and its plan.") { output, target };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            var what = CliSeries.ParseTarget(parseResult.GetValue(target));
            await using var app = await CliApplication.OpenAsync(parseResult, loggers, cancellationToken);
            var report = app.Get<ReportUseCase>();
            await WriteAsync(() => report.WriteAsync(what, parseResult.GetValue(output)!, cancellationToken));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Writes the report and prints the headlines and the recommendations; shared with the demo.</summary>
    public static async Task<ReportResult> WriteAsync(Func<Task<UseCaseResult<ReportResult>>> write)
    {
        ReportResult? written = null;
        await CommandRunner.Error.Status().StartAsync("Writing the report and charts", async _ =>
            written = (await write()).Require());
        var result = written!;
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
