using System.CommandLine;
using Forecasting.Data.Export;
using Forecasting.Data.Stores;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class ExportCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "CSV file to write (usage CSV format)", Required = true };
        var command = new Command("export", "Write the stored usage as a usage CSV (the format ingest reads).") { output };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            await using var store = await CliStore.OpenAsync(parseResult, loggers, cancellationToken);
            var path = parseResult.GetValue(output)!;
            var rows = await UsageCsvWriter.ExportAsync(store, path, UsageQuery.All, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"[green]exported[/] {rows:N0} rows to {Path.GetFullPath(path)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
