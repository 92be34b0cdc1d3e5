using System.CommandLine;
using Forecasting.Core;
using Forecasting.ML.Registry;
using Forecasting.ML.Training;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class ModelsCommand
{
    public static Command Create()
    {
        var target = CliSeries.TargetOption();
        var list = new Command("list", "List registered versions with their backtest scores; the champion is marked.") { target };
        list.SetAction((parseResult, _, _) =>
        {
            var registry = new ModelRegistry(parseResult.GetValue(CommonOptions.Models)!);
            var name = Trainer.RegistryName(CliSeries.ParseTarget(parseResult.GetValue(target)));
            var champion = registry.Champion(name);
            var table = new Table().AddColumns("version", "champion", "trained at", "data up to", "series", "served MAE vs seasonal naive", "coverage", "decision");
            foreach (var m in registry.List(name))
            {
                table.AddRow(
                    m.Version,
                    m.Version == champion?.Version ? "[green]yes[/]" : "",
                    m.TrainedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                    m.DataWindow.End?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    m.DataWindow.Series.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    m.Backtest.Served is { } s ? $"{s.RelativeMae:N3}" : "-",
                    m.Backtest.Served is { } c ? $"{c.Coverage:P1}" : "-",
                    Markup.Escape(m.Decision ?? ""));
            }

            AnsiConsole.MarkupLineInterpolated($"{name} in {registry.Root}");
            AnsiConsole.Write(table);
            return Task.FromResult(ExitCodes.Ok);
        });

        var version = new Option<string?>("--to") { Description = "Version to make champion (default: the one before the current champion)" };
        var rollbackTarget = CliSeries.TargetOption();
        var rollback = new Command("rollback", "Make an earlier version the champion.") { version, rollbackTarget };
        rollback.SetAction((parseResult, _, _) =>
        {
            var registry = new ModelRegistry(parseResult.GetValue(CommonOptions.Models)!);
            var name = Trainer.RegistryName(CliSeries.ParseTarget(parseResult.GetValue(rollbackTarget)));
            var current = registry.Champion(name)?.Version;
            var to = parseResult.GetValue(version)
                ?? registry.List(name).Select(m => m.Version).LastOrDefault(v => current is null || string.CompareOrdinal(v, current) < 0)
                ?? throw new InvalidInputException($"{name} has no version before {current ?? "(none)"} to roll back to");
            registry.SetChampion(name, to, $"rollback from {current ?? "none"}", TimeProvider.System.GetUtcNow());
            AnsiConsole.MarkupLineInterpolated($"[green]{name}[/]: champion is now {to} (was {current ?? "none"})");
            return Task.FromResult(ExitCodes.Ok);
        });

        return new Command("models", "The model registry: list versions, roll back the champion.") { list, rollback };
    }
}
