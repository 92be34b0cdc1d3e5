using System.CommandLine;
using Forecasting.Core;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Series;
using Forecasting.ML;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class BacktestCommand
{
    public static Command Create()
    {
        var horizon = new Option<int>("--horizon") { Description = "Hours forecast from each origin", DefaultValueFactory = _ => 168 };
        var folds = new Option<int>("--folds") { Description = "Scored origins", DefaultValueFactory = _ => 4 };
        var step = new Option<int>("--step") { Description = "Hours between origins", DefaultValueFactory = _ => 24 };
        var output = new Option<string?>("--out", "-o") { Description = "CSV of the served forecasts: series,origin,hour,actual,p10,p50,p90,model" };
        var target = CliSeries.TargetOption();
        var command = new Command("backtest", "Rolling-origin backtest of every model; prints accuracy against seasonal naive.")
        {
            horizon, folds, step, output, target,
        };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            var options = new BacktestOptions
            {
                Horizon = Positive(parseResult.GetValue(horizon), "--horizon"),
                Folds = Positive(parseResult.GetValue(folds), "--folds"),
                Step = Positive(parseResult.GetValue(step), "--step"),
            };
            await using var store = await CliStore.OpenAsync(parseResult, loggers, cancellationToken);
            var series = await CliSeries.LoadAsync(store, CliSeries.ParseTarget(parseResult.GetValue(target)), cancellationToken);
            var named = series.Select(s => new NamedSeries(s.Key.ToString(), s.Values, s.Start)).ToList();
            BacktestResult? result = null;
            await AnsiConsole.Status().StartAsync("Backtesting", async context =>
            {
                var progress = new Progress<string>(m => context.Status($"Backtesting: {m}"));
                var rollups = SeriesHierarchy.Rollups(series.Select(s => s.Key));
                var models = EngineModels.ForHistory(named.Select(s => s.Values.Length).DefaultIfEmpty(0).Max());
                result = await Task.Run(() => Backtester.Run(named, models, options, progress, cancellationToken, rollups), cancellationToken);
            });
            if (result!.Served.Count == 0)
            {
                throw new InvalidInputException($"not enough history for one origin with a {options.Horizon} h horizon: the longest series needs {result.Options.NeededHistory} hours");
            }

            // The backtest adapts to a short history (daily period, fewer origins): say what it ran.
            var ran = result.Options;
            AnsiConsole.MarkupLineInterpolated($"Backtest of {series.Count} series, {ran.Folds} scored origins {ran.Step} h apart (+{ran.WarmupFolds} earlier for selection and calibration), horizon {ran.Horizon} h, period {ran.Period} h:");
            AnsiConsole.Write(ScoreTable.Build(result.Scores));
            foreach (var skipped in result.Skipped)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]skipped[/] {skipped.Series}: {skipped.Reason}");
            }

            if (parseResult.GetValue(output) is { } path)
            {
                await WriteAsync(path, result, cancellationToken);
                AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {result.Served.Count:N0} served forecasts to {Path.GetFullPath(path)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static async Task WriteAsync(string path, BacktestResult result, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        Directory.CreateDirectory(folder!);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, BacktestCsv.Write(result.Served), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    internal static int Positive(int value, string option) =>
        value > 0 ? value : throw new InvalidInputException($"{option} must be a positive number of hours or origins, got {value}");
}
