using System.CommandLine;
using Forecasting.Core.Backtesting;
using Forecasting.ML.Registry;
using Forecasting.ML.Training;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class TrainCommand
{
    public static Command Create()
    {
        var target = CliSeries.TargetOption();
        var folds = new Option<int>("--folds") { Description = "Scored backtest origins", DefaultValueFactory = _ => 4 };
        var horizon = new Option<int>("--horizon") { Description = "Backtest horizon in hours", DefaultValueFactory = _ => 168 };
        var command = new Command("train", "Fit, backtest and register a model version; promote it to champion only if it beats the champion and seasonal naive.")
        {
            target, folds, horizon,
        };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            var outcome = await TrainAsync(parseResult, loggers, CliSeries.ParseTarget(parseResult.GetValue(target)),
                new BacktestOptions { Folds = BacktestCommand.Positive(parseResult.GetValue(folds), "--folds"), Horizon = BacktestCommand.Positive(parseResult.GetValue(horizon), "--horizon") },
                cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Shared with the demo.</summary>
    public static async Task<TrainingOutcome> TrainAsync(ParseResult parseResult, ILoggerFactory loggers, Core.Series.ForecastTarget target, BacktestOptions options, CancellationToken cancellationToken)
    {
        await using var store = await CliStore.OpenAsync(parseResult, loggers, cancellationToken);
        var series = await CliSeries.LoadAsync(store, target, cancellationToken);
        var registry = new ModelRegistry(parseResult.GetValue(CommonOptions.Models)!);
        TrainingOutcome? outcome = null;
        await AnsiConsole.Status().StartAsync("Training", async context =>
        {
            var progress = new Progress<string>(m => context.Status($"Training {series.Count} series: {m}"));
            outcome = await Task.Run(() => new Trainer(registry, TimeProvider.System).Train(series, target, options, progress, cancellationToken), cancellationToken);
        });
        AnsiConsole.MarkupLineInterpolated($"Backtest ({options.Folds} origins, horizon {options.Horizon} h) of {series.Count} series:");
        AnsiConsole.Write(ScoreTable.Build(outcome!.Backtest.Scores));
        var colour = outcome.Promoted ? "green" : "yellow";
        AnsiConsole.MarkupLineInterpolated($"[{colour}]{Trainer.RegistryName(target)}/{outcome.Manifest.Version}[/] registered in {registry.Root}: {outcome.Decision}");
        return outcome;
    }
}
