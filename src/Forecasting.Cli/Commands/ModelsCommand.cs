using System.CommandLine;
using Forecasting.Application;
using Forecasting.ML.Registry;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class ModelsCommand
{
    public static Command Create()
    {
        var target = CliSeries.TargetOption();
        var json = CliJson.Option();
        var list = new Command("list", "List registered versions with their backtest scores; the champion is marked.") { target, json };
        list.SetAction(async (parseResult, loggers, _) =>
        {
            var what = CliSeries.ParseTarget(parseResult.GetValue(target));
            await using var app = CliApplication.WithoutStore(parseResult, loggers);
            var listed = app.Get<ModelVersionsQuery>().Get(what);
            var name = listed.Name;
            if (parseResult.GetValue(json))
            {
                CliJson.Write(new
                {
                    name,
                    registry = Path.GetFullPath(listed.Root),
                    champion = listed.Champion?.Version,
                    versions = listed.Versions.Select(m => new
                    {
                        m.Version,
                        champion = listed.IsChampion(m),
                        m.TrainedAt,
                        data_end = m.DataWindow.End,
                        series = m.DataWindow.Series,
                        served_relative_mae = m.Backtest.Served?.RelativeMae,
                        served_coverage = m.Backtest.Served?.Coverage,
                        m.Decision,
                    }).ToList(),
                });
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("version", "champion", "trained at", "data up to", "series", "served MAE vs seasonal naive", "coverage", "decision");
            foreach (var m in listed.Versions)
            {
                table.AddRow(
                    m.Version,
                    listed.IsChampion(m) ? "[green]yes[/]" : "",
                    m.TrainedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                    m.DataWindow.End?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    m.DataWindow.Series.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    m.Backtest.Served is { } s ? $"{s.RelativeMae:N3}" : "-",
                    m.Backtest.Served is { } c ? $"{c.Coverage:P1}" : "-",
                    Markup.Escape(m.Decision ?? ""));
            }

            AnsiConsole.MarkupLineInterpolated($"{name} in {listed.Root}");
            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });

        var version = new Option<string?>("--to") { Description = "Version to make champion (default: the one before the current champion)" };
        var rollbackTarget = CliSeries.TargetOption();
        var rollback = new Command("rollback", "Make an earlier version the champion.") { version, rollbackTarget };
        rollback.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            await using var app = await CliApplication.OpenAsync(parseResult, loggers, cancellationToken);
            var result = await app.Get<RollbackUseCase>().RunAsync(CliSeries.ParseTarget(parseResult.GetValue(rollbackTarget)), parseResult.GetValue(version), cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"[green]{result.Name}[/]: champion is now {result.To} (was {result.From ?? "none"})");
            if (result.Forecast is { } run)
            {
                AnsiConsole.MarkupLineInterpolated($"[green]forecast[/] {run.Series.Count} series by {run.ModelVersion} stored: the API serves it now");
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]no new forecast:[/] {result.NoForecast}");
            }

            return ExitCodes.Ok;
        });

        return new Command("models", "The model registry: list versions, roll back the champion.") { list, rollback };
    }
}
