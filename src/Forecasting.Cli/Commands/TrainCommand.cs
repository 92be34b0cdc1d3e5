using System.CommandLine;
using Forecasting.Application;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Series;
using Forecasting.ML.Registry;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class TrainCommand
{
    public static Command Create()
    {
        var target = CliSeries.TargetOption();
        var folds = new Option<int>("--folds") { Description = "Scored backtest origins", DefaultValueFactory = _ => new BacktestOptions().Folds };
        var horizon = new Option<int>("--horizon") { Description = "Backtest horizon in hours", DefaultValueFactory = _ => new BacktestOptions().Horizon };
        var json = CliJson.Option();
        var command = new Command("train", "Fit, backtest and register a model version; promote it to champion only if it beats the champion and seasonal naive. Exit code 0 whether or not it was promoted (--json says promoted: true/false).")
        {
            target, folds, horizon, json,
        };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            var options = BacktestCommand.Options(parseResult.GetValue(horizon), parseResult.GetValue(folds), new BacktestOptions().Step);
            var workspace = await CliWorkspace.OpenAsync(parseResult, loggers, cancellationToken);
            await using var store = workspace.Store;
            var what = CliSeries.ParseTarget(parseResult.GetValue(target));
            var asJson = parseResult.GetValue(json);
            var result = await TrainAsync(workspace, what, options, cancellationToken, quiet: asJson);
            if (asJson)
            {
                var outcome = result.Outcome;
                CliJson.Write(new
                {
                    target = what.Name(),
                    name = ModelRegistry.NameOf(what),
                    outcome.Manifest.Version,
                    outcome.Promoted,
                    outcome.Decision,
                    registry = Path.GetFullPath(workspace.Registry.Root),
                    series = result.Data.Series.Count,
                    options.Folds,
                    options.Horizon,
                    scores = CliJson.Scores(outcome.Backtest.Scores),
                });
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Trains with a progress line, then prints the scores and the decision; shared with the demo.</summary>
    public static async Task<TrainResult> TrainAsync(Workspace workspace, ForecastTarget target, BacktestOptions options, CancellationToken cancellationToken, bool quiet = false)
    {
        TrainResult? result = null;
        // The spinner is on standard error: standard output holds results only.
        await CommandRunner.Error.Status().StartAsync("Training", async context =>
        {
            var progress = new Progress<string>(m => context.Status($"Training: {m}"));
            result = (await new TrainUseCase(workspace).RunAsync(target, options, progress, TimeSpan.Zero, cancellationToken)).Require();
        });
        var outcome = result!.Outcome;
        if (quiet)
        {
            return result;
        }

        AnsiConsole.MarkupLineInterpolated($"Backtest ({options.Folds} origins, horizon {options.Horizon} h) of {result.Data.Series.Count} series, {target.PerHour()}:");
        AnsiConsole.Write(ScoreTable.Build(outcome.Backtest.Scores, target));
        var colour = outcome.Promoted ? "green" : "yellow";
        AnsiConsole.MarkupLineInterpolated($"[{colour}]{ModelRegistry.NameOf(target)}/{outcome.Manifest.Version}[/] registered in {workspace.Registry.Root}: {outcome.Decision}");
        return result;
    }
}
