using System.CommandLine;
using Forecasting.Application;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class ForecastCommand
{
    public static Command Create()
    {
        var horizon = new Option<int>("--horizon") { Description = $"Hours to forecast (1 to {Horizon.Maximum})", DefaultValueFactory = _ => Horizon.Default };
        var output = new Option<string?>("--out", "-o") { Description = "CSV file: series,origin,hour,actual,p10,p50,p90,model" };
        var target = CliSeries.TargetOption();
        var json = CliJson.Option();
        var command = new Command("forecast", "Forecast every series from the champion models, plan it (cost, recommendations), store the run and write it as CSV.") { horizon, output, target, json };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            var hours = Horizon.Validate(parseResult.GetValue(horizon), "--horizon");
            var what = CliSeries.ParseTarget(parseResult.GetValue(target));
            await using var app = await CliApplication.OpenAsync(parseResult, loggers, cancellationToken);
            var store = app.Workspace.Store;
            var result = (await app.Get<ForecastUseCase>().RunAsync(what, hours, cancellationToken)).Require();
            var path = parseResult.GetValue(output);
            if (path is not null)
            {
                await ResultFiles.WriteForecastAsync(result.Run, path, cancellationToken);
            }

            if (parseResult.GetValue(json))
            {
                var run = result.Run;
                CliJson.Write(new
                {
                    target = what.Name(),
                    unit = result.Plan.Target.Unit(),
                    run.ModelVersion,
                    run.GeneratedAt,
                    run.Origin,
                    hours,
                    series = run.Series.Count,
                    store = store.Description,
                    @out = path is null ? null : Path.GetFullPath(path),
                });
                return ExitCodes.Ok;
            }

            Print(result, store.Description);
            if (path is not null)
            {
                AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {Path.GetFullPath(path)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static void Print(ForecastResult result, string storeDescription)
    {
        var run = result.Run;
        AnsiConsole.MarkupLineInterpolated($"[green]forecast[/] {run.Series.Count} series of {result.Plan.Target.Unit()}, {run.Horizon} h from {Core.Usage.UtcHour.Format(run.Origin)} by {run.ModelVersion}, stored with its plan in {storeDescription}");
        if (result.CalendarWarning is { } calendar)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]calendar[/] {calendar}");
        }

        foreach (var skipped in run.Skipped)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]not forecast[/] {skipped.Series}: {skipped.Reason}");
        }
    }
}
