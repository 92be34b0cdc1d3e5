using System.CommandLine;
using Forecasting.Application;
using Forecasting.Core;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
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

            var workspace = await CliWorkspace.OpenAsync(parseResult, loggers, cancellationToken);
            await using var store = workspace.Store;
            AnsiConsole.MarkupLine("[bold]1/4 ingest[/]");
            var ingested = await IngestCommand.IngestAsync(workspace, samples, skipInvalid: false, cancellationToken);
            if (ingested.Refused)
            {
                return ExitCodes.UserError;
            }

            AnsiConsole.MarkupLine("[bold]2/4 train[/] (rolling-origin backtest of every model, register, promote)");
            var training = await TrainCommand.TrainAsync(workspace, ForecastTarget.Tokens, new BacktestOptions(), cancellationToken);

            AnsiConsole.MarkupLineInterpolated($"[bold]3/4 forecast[/] (next {Horizon.Default} hours, every series)");
            var folder = Path.GetFullPath(parseResult.GetValue(output)!);
            var forecast = (await new ForecastUseCase(workspace).RunAsync(training.Data, Horizon.Default, cancellationToken)).Require();
            Directory.CreateDirectory(folder);
            await ForecastCommand.WriteCsvAsync(forecast.Run, Path.Combine(folder, "forecast.csv"), cancellationToken);
            await BacktestCommand.WriteAsync(Path.Combine(folder, "backtest.csv"), training.Outcome.Backtest, cancellationToken);
            ForecastCommand.Print(forecast, store.Description);
            AnsiConsole.MarkupLineInterpolated($"  CSV in {folder}");

            AnsiConsole.MarkupLine("[bold]4/4 report[/]");
            var served = training.Outcome.Backtest.Scores.First(s => s.Model == ModelScore.Served);
            await ReportCommand.WriteAsync(workspace, ForecastTarget.Tokens, Path.Combine(folder, "report"), cancellationToken);
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
