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
        var shardSize = new Option<int>("--shard-size")
        {
            Description = "Leaf series per shard: train the shards in turn, each its own registry unit (global-<target>-shard-NN-of-MM), then serve the union of their champions; 0: one training of every series (as serve's Forecasting:Training:ShardSize)",
            DefaultValueFactory = _ => 0,
        };
        shardSize.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--shard-size must be 0 (unsharded) or a positive number of series per shard");
            }
        });
        var json = CliJson.Option();
        var command = new Command("train", "Fit, backtest and register a model version; promote it to champion only if it beats the champion and seasonal naive. Exit code 0 whether or not it was promoted (--json says promoted: true/false).")
        {
            target, folds, horizon, shardSize, json,
        };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            var options = BacktestCommand.Options(parseResult.GetValue(horizon), parseResult.GetValue(folds), new BacktestOptions().Step);
            await using var app = await CliApplication.OpenAsync(parseResult, loggers, cancellationToken);
            var workspace = app.Workspace;
            var what = CliSeries.ParseTarget(parseResult.GetValue(target));
            var asJson = parseResult.GetValue(json);
            if (parseResult.GetValue(shardSize) is > 0 and var size)
            {
                var sharded = await TrainShardedAsync(app.Get<ShardedTrainUseCase>(), workspace.Registry.Root, what, size, options, asJson, cancellationToken);
                if (asJson)
                {
                    CliJson.Write(new
                    {
                        target = what.Name(),
                        name = ModelRegistry.NameOf(what),
                        version = sharded.Union.Manifest?.Version,
                        promoted = sharded.Union.Promoted,
                        decision = sharded.Union.Decision,
                        registry = Path.GetFullPath(workspace.Registry.Root),
                        series = sharded.Data.Series.Count,
                        shards = sharded.Shards.Select(s => new { s.Shard, s.Unit, s.Series, s.Version, promoted = s.Outcome?.Promoted ?? false, decision = s.Outcome?.Decision ?? s.Skipped }),
                        options.Folds,
                        options.Horizon,
                        scores = sharded.Union.Manifest is { } union ? CliJson.Scores(union.Backtest.Scores) : null,
                    });
                }

                return ExitCodes.Ok;
            }

            var train = app.Get<TrainUseCase>();
            var result = await TrainAsync(workspace.Registry.Root, what, options, async progress => (await train.RunAsync(what, options, progress, TimeSpan.Zero, cancellationToken)).Require(), quiet: asJson);
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
    public static async Task<TrainResult> TrainAsync(string registry, ForecastTarget target, BacktestOptions options, Func<IProgress<string>?, Task<TrainResult>> train, bool quiet = false)
    {
        TrainResult? result = null;
        // The spinner is on standard error: standard output holds results only.
        await CommandRunner.Error.Status().StartAsync("Training", async context =>
        {
            var progress = new Progress<string>(m => context.Status($"Training: {m}"));
            result = await train(progress);
        });
        var outcome = result!.Outcome;
        if (quiet)
        {
            return result;
        }

        AnsiConsole.MarkupLineInterpolated($"Backtest ({options.Folds} origins, horizon {options.Horizon} h) of {result.Data.Series.Count} series, {target.PerHour()}:");
        AnsiConsole.Write(ScoreTable.Build(outcome.Backtest.Scores, target));
        var colour = outcome.Promoted ? "green" : "yellow";
        AnsiConsole.MarkupLineInterpolated($"[{colour}]{ModelRegistry.NameOf(target)}/{outcome.Manifest.Version}[/] registered in {registry}: {outcome.Decision}");
        return result;
    }

    /// <summary>The sharded training (<c>--shard-size</c>): each shard in turn with a progress line, then the union served.</summary>
    private static async Task<ShardedTrainResult> TrainShardedAsync(ShardedTrainUseCase sharded, string registry, ForecastTarget target, int shardSize, BacktestOptions options, bool quiet, CancellationToken cancellationToken)
    {
        ShardedTrainResult? result = null;
        await CommandRunner.Error.Status().StartAsync("Training shards", async context =>
        {
            var progress = new Progress<string>(m => context.Status($"Training {m}"));
            result = (await sharded.RunAsync(target, shardSize, options, progress, TimeSpan.Zero, cancellationToken)).Require();
        });
        if (!quiet)
        {
            foreach (var shard in result!.Shards)
            {
                var detail = shard.Outcome is { } outcome ? $"{shard.Unit}/{outcome.Manifest.Version}: {outcome.Decision}" : $"{shard.Unit}: {shard.Skipped}";
                AnsiConsole.MarkupLineInterpolated($"{shard.Series} series: {detail}");
            }

            var colour = result.Union.Promoted ? "green" : "yellow";
            AnsiConsole.MarkupLineInterpolated($"[{colour}]{ModelRegistry.NameOf(target)}/{result.Union.Manifest?.Version ?? "-"}[/] in {registry}: {result.Union.Decision}");
        }

        return result!;
    }
}
