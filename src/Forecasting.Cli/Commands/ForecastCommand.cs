using System.CommandLine;
using Forecasting.Api.Application;
using Forecasting.Core.Pricing;
using Forecasting.ML.Registry;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class ForecastCommand
{
    public static Command Create()
    {
        var horizon = new Option<int>("--horizon") { Description = "Hours to forecast", DefaultValueFactory = _ => 168 };
        var output = new Option<string?>("--out", "-o") { Description = "CSV file: series,origin,hour,actual,p10,p50,p90,model" };
        var target = CliSeries.TargetOption();
        var command = new Command("forecast", "Forecast every series from the champion models, store the run and write it as CSV.") { horizon, output, target };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            var hours = BacktestCommand.Positive(parseResult.GetValue(horizon), "--horizon");
            await using var store = await CliStore.OpenAsync(parseResult, loggers, cancellationToken);
            var data = await UsageData.LoadAsync(store, CliSeries.ParseTarget(parseResult.GetValue(target)), PriceTable.Default, cancellationToken);
            var registry = new ModelRegistry(parseResult.GetValue(CommonOptions.Models)!);
            var run = await new ForecastJob(store, registry, TimeProvider.System).RunAsync(data, hours, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"[green]forecast[/] {run.Series.Count} series, {hours} h from {Core.Usage.UtcHour.Format(run.Origin)} by {run.ModelVersion}, stored in {store.Description}");
            if (parseResult.GetValue(output) is { } path)
            {
                var full = Path.GetFullPath(path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                await File.WriteAllTextAsync(full + ".tmp", Core.Backtesting.BacktestCsv.WriteForecast(run), cancellationToken);
                File.Move(full + ".tmp", full, overwrite: true);
                AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {full}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
