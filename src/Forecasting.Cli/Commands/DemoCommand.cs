using System.CommandLine;
using Forecasting.Api.Application;
using Forecasting.Core;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Series;
using Forecasting.ML.Registry;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class DemoCommand
{
    public const string SampleFile = "data-samples/usage.csv";

    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "Folder for the report", DefaultValueFactory = _ => "out/demo" };
        var command = new Command("demo", "The main job on data-samples/: ingest, train (backtest, register, promote), forecast 7 days, write the report.") { output };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            var samples = FindSamples() ?? throw new InvalidInputException(
                $"cannot find {SampleFile}; run the demo from the repository root (or generate it with 'forecasting samples')");
            var watch = System.Diagnostics.Stopwatch.StartNew();
            AnsiConsole.MarkupLineInterpolated($"[bold]Forecasting demo[/] on {samples}");

            AnsiConsole.MarkupLine("[bold]1/4 ingest[/]");
            await using (var store = await CliStore.OpenAsync(parseResult, loggers, cancellationToken))
            {
                var outcome = await IngestCommand.IngestAsync(store, loggers, samples, skipInvalid: false, cancellationToken);
                if (outcome.Refused)
                {
                    return ExitCodes.UserError;
                }
            }

            AnsiConsole.MarkupLine("[bold]2/4 train[/] (rolling-origin backtest of every model, register, promote)");
            var training = await TrainCommand.TrainAsync(parseResult, loggers, ForecastTarget.Tokens, new BacktestOptions(), cancellationToken);

            AnsiConsole.MarkupLine("[bold]3/4 forecast[/] (next 168 hours, every series)");
            var folder = Path.GetFullPath(parseResult.GetValue(output)!);
            await using (var store = await CliStore.OpenAsync(parseResult, loggers, cancellationToken))
            {
                var data = await UsageData.LoadAsync(store, ForecastTarget.Tokens, CliSettings.Load(parseResult).PriceTable, cancellationToken);
                var registry = new ModelRegistry(parseResult.GetValue(CommonOptions.Models)!);
                var run = await new ForecastJob(store, registry, TimeProvider.System).RunAsync(data, 168, cancellationToken);
                Directory.CreateDirectory(folder);
                await File.WriteAllTextAsync(Path.Combine(folder, "forecast.csv"), Core.Backtesting.BacktestCsv.WriteForecast(run), cancellationToken);
                await File.WriteAllTextAsync(Path.Combine(folder, "backtest.csv"), BacktestCsv.Write(training.Backtest.Served), cancellationToken);
                AnsiConsole.MarkupLineInterpolated($"  {run.Series.Count} series from {Core.Usage.UtcHour.Format(run.Origin)} by {run.ModelVersion}; CSV in {folder}");
            }

            AnsiConsole.MarkupLine("[bold]4/4 report[/]");
            var served = training.Backtest.Scores.First(s => s.Model == Backtester.Served);
            await ReportCommand.WriteAsync(parseResult, loggers, Path.Combine(folder, "report"), ForecastTarget.Tokens, cancellationToken);
            AnsiConsole.MarkupLineInterpolated(
                $"[bold]Done in {watch.Elapsed.TotalSeconds:N0} s.[/] Backtest: served forecast MAE {served.RelativeMae:P0} of seasonal naive's, 80% intervals cover {served.Coverage:P0}. Open {Path.Combine(folder, "report", "report.html")}");
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

}
