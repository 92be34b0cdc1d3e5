using System.CommandLine;
using Forecasting.Application;
using Forecasting.Core;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.Data.Ingest;
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

            await using var app = await CliApplication.OpenAsync(parseResult, loggers, cancellationToken);
            var folder = Path.GetFullPath(parseResult.GetValue(output)!);
            var demo = await app.Get<DemoUseCase>().RunAsync(samples, folder, new Printer(app.Workspace), cancellationToken);
            if (demo.Ingested.Refused)
            {
                return ExitCodes.UserError;
            }

            var served = demo.Served!;
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

    /// <summary>Prints each step of the demo as the <c>ingest</c>, <c>train</c>, <c>forecast</c> and <c>report</c> commands do.</summary>
    private sealed class Printer(Workspace workspace) : IDemoObserver
    {
        public Task<IngestOutcome> IngestAsync(string file, Func<Task<IngestOutcome>> ingest)
        {
            AnsiConsole.MarkupLine("[bold]1/4 ingest[/]");
            return IngestCommand.IngestAsync(workspace.Store.Description, file, ingest);
        }

        public Task<TrainResult> TrainAsync(ForecastTarget target, BacktestOptions options, Func<IProgress<string>?, Task<TrainResult>> train)
        {
            AnsiConsole.MarkupLine("[bold]2/4 train[/] (rolling-origin backtest of every model, register, promote)");
            return TrainCommand.TrainAsync(workspace.Registry.Root, target, options, train);
        }

        public async Task<ForecastResult> ForecastAsync(string folder, Func<Task<ForecastResult>> forecast)
        {
            AnsiConsole.MarkupLineInterpolated($"[bold]3/4 forecast[/] (next {Horizon.Default} hours, every series)");
            var result = await forecast();
            ForecastCommand.Print(result, workspace.Store.Description);
            AnsiConsole.MarkupLineInterpolated($"  CSV in {folder}");
            return result;
        }

        public Task<ReportResult> ReportAsync(Func<Task<ReportResult>> report)
        {
            AnsiConsole.MarkupLine("[bold]4/4 report[/]");
            return ReportCommand.WriteAsync(async () => UseCase.Ok(await report()));
        }
    }
}
