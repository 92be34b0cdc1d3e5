using System.CommandLine;
using System.Globalization;
using System.Text;
using Forecasting.Core;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class DemoCommand
{
    public const string SampleFile = "data-samples/usage.csv";

    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "Folder for the report", DefaultValueFactory = _ => "out/demo" };
        var command = new Command("demo", "The main job on data-samples/: ingest into the store and write a usage report.") { output };
        command.SetAction(async (parseResult, _, cancellationToken) =>
        {
            var samples = FindSamples() ?? throw new InvalidInputException(
                $"cannot find {SampleFile}; run the demo from the repository root (or generate it with 'forecasting samples')");
            AnsiConsole.MarkupLineInterpolated($"[bold]Forecasting demo[/] on {samples}");
            await using var store = await CliStore.OpenAsync(parseResult, cancellationToken);
            var outcome = await IngestCommand.IngestAsync(store, samples, skipInvalid: false, cancellationToken);
            if (outcome.Refused)
            {
                return ExitCodes.UserError;
            }

            var summary = await store.SummarizeAsync(cancellationToken);
            StatusCommand.Print(store, summary, await store.GetSchemaVersionAsync(cancellationToken));
            var folder = Path.GetFullPath(parseResult.GetValue(output)!);
            Directory.CreateDirectory(folder);
            var report = Path.Combine(folder, "report.md");
            await File.WriteAllTextAsync(report, await BuildReportAsync(store, summary, cancellationToken), cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"[green]report[/] {report}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>data-samples/ in the working folder or any folder above it, or beside the program.</summary>
    private static string? FindSamples()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, SampleFile);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static async Task<string> BuildReportAsync(IUsageStore store, UsageSummary summary, CancellationToken cancellationToken)
    {
        var perSeries = new Dictionary<(string Project, string Model), (long Tokens, long Requests, double Cost, int Hours)>();
        await foreach (var row in store.ReadAsync(UsageQuery.All, cancellationToken))
        {
            var key = (row.Project, row.Model);
            perSeries.TryGetValue(key, out var s);
            perSeries[key] = (s.Tokens + row.TotalTokens, s.Requests + row.Requests, s.Cost + (row.CostUsd ?? 0), s.Hours + 1);
        }

        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("# LLM usage report");
        text.AppendLine();
        text.AppendLine(c, $"Store: {store.Description}. Hours {Format(summary.FirstHour)} to {Format(summary.LastHour)}, {summary.Rows:N0} hourly rows, {summary.Models} models, {summary.Projects} projects.");
        text.AppendLine();
        text.AppendLine("| project | model | hours | tokens | requests | cost (USD) | avg tokens/hour |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var ((project, model), s) in perSeries.OrderByDescending(p => p.Value.Cost))
        {
            text.AppendLine(c, $"| {project} | {model} | {s.Hours:N0} | {s.Tokens:N0} | {s.Requests:N0} | {s.Cost:N2} | {s.Tokens / Math.Max(1, s.Hours):N0} |");
        }

        return text.ToString();
    }

    private static string Format(DateTimeOffset? hour) => hour is { } h ? UtcHour.Format(h) : "-";
}
