using System.CommandLine;
using Forecasting.Application;
using Forecasting.Core;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class BacktestCommand
{
    /// <summary>The most origins a backtest takes (a year of daily origins).</summary>
    private const int MaxFolds = 365;

    public static Command Create()
    {
        var defaults = new BacktestOptions();
        var horizon = new Option<int>("--horizon") { Description = $"Hours forecast from each origin (1 to {Horizon.Maximum})", DefaultValueFactory = _ => defaults.Horizon };
        var folds = new Option<int>("--folds") { Description = "Scored origins", DefaultValueFactory = _ => defaults.Folds };
        var step = new Option<int>("--step") { Description = "Hours between origins", DefaultValueFactory = _ => defaults.Step };
        var refit = new Option<int?>("--refit-hours") { Description = $"Hours of origins one estimation of the global FastTree and of SSA serves, as production retrains weekly (0: estimate at every origin; default {BacktestOptions.RefitDefaultHours} from {BacktestOptions.RefitFromSeries} series on, else 0)" };
        var output = new Option<string?>("--out", "-o") { Description = "CSV of the served forecasts: series,origin,hour,actual,p10,p50,p90,model" };
        var target = CliSeries.TargetOption();
        var json = CliJson.Option();
        var command = new Command("backtest", "Rolling-origin backtest of every model; prints accuracy against seasonal naive.")
        {
            horizon, folds, step, refit, output, target, json,
        };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            var options = Options(parseResult.GetValue(horizon), parseResult.GetValue(folds), parseResult.GetValue(step), parseResult.GetValue(refit));
            var what = CliSeries.ParseTarget(parseResult.GetValue(target));
            await using var app = await CliApplication.OpenAsync(parseResult, loggers, cancellationToken);
            BacktestRun? run = null;
            await CommandRunner.Error.Status().StartAsync("Backtesting", async context =>
            {
                var progress = new Progress<string>(m => context.Status($"Backtesting: {m}"));
                run = (await app.Get<BacktestUseCase>().RunAsync(what, options, progress, cancellationToken)).Require();
            });
            var path = parseResult.GetValue(output);
            if (path is not null)
            {
                await ResultFiles.WriteBacktestAsync(run!.Result, path, cancellationToken);
            }

            // The backtest adapts to a short history (daily period, fewer origins): say what it ran.
            var ran = run!.Result.Options;
            if (parseResult.GetValue(json))
            {
                CliJson.Write(new
                {
                    target = what.Name(),
                    series = run.SeriesCount,
                    ran.Folds,
                    ran.Step,
                    ran.Horizon,
                    ran.Period,
                    warmup_folds = ran.WarmupFolds,
                    refit_hours = ran.RefitHoursFor(run.SeriesCount),
                    scores = CliJson.Scores(run.Result.Scores),
                    served_forecasts = run.Result.Served.Count,
                    skipped = run.Result.Skipped.Select(s => new { s.Series, s.Reason }),
                    @out = path is null ? null : Path.GetFullPath(path),
                });
                return ExitCodes.Ok;
            }

            AnsiConsole.MarkupLineInterpolated($"Backtest of {run.SeriesCount} series ({what.PerHour()}), {ran.Folds} scored origins {ran.Step} h apart (+{ran.WarmupFolds} earlier for selection and calibration), horizon {ran.Horizon} h, period {ran.Period} h, FastTree and SSA estimated every {ran.RefitHoursFor(run.SeriesCount)} h of origins:");
            AnsiConsole.Write(ScoreTable.Build(run.Result.Scores, what));
            foreach (var skipped in run.Result.Skipped)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]skipped[/] {skipped.Series}: {skipped.Reason}");
            }

            if (path is not null)
            {
                AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {run.Result.Served.Count:N0} served forecasts to {Path.GetFullPath(path)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Backtest options from the command line, each bounded (user errors name the option).</summary>
    internal static BacktestOptions Options(int horizon, int folds, int step, int? refitHours = null) => new()
    {
        RefitHours = refitHours is null or (>= 0 and <= 24 * 365)
            ? refitHours
            : throw new InvalidInputException($"--refit-hours must be between 0 and {24 * 365}, got {refitHours}"),
        Horizon = Horizon.Validate(horizon, "--horizon"),
        Folds = folds is >= 1 and <= MaxFolds ? folds : throw new InvalidInputException($"--folds must be between 1 and {MaxFolds}, got {folds}"),
        Step = step is >= 1 and <= Horizon.Maximum ? step : throw new InvalidInputException($"--step must be between 1 and {Horizon.Maximum} hours, got {step}"),
    };
}
