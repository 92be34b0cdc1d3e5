using System.CommandLine;
using Forecasting.Application;
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
            await using var app = await CliApplication.OpenAsync(parseResult, loggers, cancellationToken, readSettings: false);
            var path = parseResult.GetValue(output)!;
            var rows = await app.Get<ExportUseCase>().RunAsync(path, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"[green]exported[/] {rows:N0} rows to {Path.GetFullPath(path)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
