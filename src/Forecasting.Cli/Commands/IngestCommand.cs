using System.CommandLine;
using Forecasting.Application;
using Forecasting.Core;
using Forecasting.Data.Ingest;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class IngestCommand
{
    private const int ErrorsShown = 10;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "Usage CSV (.csv) or request log (.jsonl)" };
        var skipInvalid = new Option<bool>("--skip-invalid")
        {
            Description = "Store the good rows and write the bad ones, with reasons, to <file>.rejects (default: a bad row refuses the whole file)",
        };
        var command = new Command("ingest", "Load hourly usage from a usage CSV or a request-log JSONL file. Re-ingesting an hour replaces it.")
        {
            file,
            skipInvalid,
        };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            if (!path.Exists)
            {
                throw new InvalidInputException($"{path.FullName}: no such file");
            }

            await using var app = await CliApplication.OpenAsync(parseResult, loggers, cancellationToken);
            var ingest = app.Get<IngestUseCase>();
            var outcome = await IngestAsync(app.Workspace.Store.Description, path.FullName, () => ingest.RunAsync(path.FullName, parseResult.GetValue(skipInvalid), cancellationToken));
            return outcome.Refused ? ExitCodes.UserError : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Parses, stores and reports one file; shared with the demo.</summary>
    public static async Task<IngestOutcome> IngestAsync(string store, string path, Func<Task<IngestOutcome>> ingest)
    {
        IngestOutcome? outcome = null;
        await CommandRunner.Error.Status().StartAsync($"Ingesting {Path.GetFileName(path)} into {store}", async _ =>
            outcome = await ingest());

        Report(outcome!);
        return outcome!;
    }

    private static void Report(IngestOutcome outcome)
    {
        if (outcome.Errors.Count > 0)
        {
            var error = CommandRunner.Error;
            var header = outcome.Refused
                ? $"{outcome.File}: refused, nothing stored: {outcome.Errors.Count:N0} bad record(s) of {outcome.RecordsRead:N0}"
                : $"{outcome.File}: skipped {outcome.Errors.Count:N0} bad record(s) of {outcome.RecordsRead:N0}";
            error.MarkupLineInterpolated($"[red]error:[/] {header}");
            foreach (var e in outcome.Errors.Take(ErrorsShown))
            {
                error.MarkupLineInterpolated($"  {e.File}:{e.Line}: [yellow]{e.Field}[/]: {e.Message}");
            }

            if (outcome.Errors.Count > ErrorsShown)
            {
                error.MarkupLineInterpolated($"  ... and {outcome.Errors.Count - ErrorsShown:N0} more");
            }

            if (outcome.Refused)
            {
                error.MarkupLine("  fix the file, or use --skip-invalid to load the good rows and write the bad ones to <file>.rejects");
                return;
            }

            error.MarkupLineInterpolated($"  rejected records and reasons: {outcome.RejectsPath}");
        }

        AnsiConsole.MarkupLineInterpolated($"[green]ingested[/] {outcome.File}: {outcome.RecordsRead:N0} records, {outcome.RowsStored:N0} hourly rows stored");
    }
}
