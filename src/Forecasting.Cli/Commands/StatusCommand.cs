using System.CommandLine;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class StatusCommand
{
    public static Command Create()
    {
        var json = CliJson.Option();
        var command = new Command("status", "Show what the usage store holds.") { json };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            await using var store = await CliStore.OpenAsync(parseResult, loggers, cancellationToken);
            var summary = await store.SummarizeAsync(cancellationToken);
            var schemaVersion = await store.GetSchemaVersionAsync(cancellationToken);
            if (parseResult.GetValue(json))
            {
                CliJson.Write(new
                {
                    store = store.Description,
                    schema_version = schemaVersion,
                    summary.Rows,
                    summary.FirstHour,
                    summary.LastHour,
                    summary.Models,
                    summary.Projects,
                    summary.InputTokens,
                    summary.OutputTokens,
                    summary.Requests,
                    summary.CostUsd,
                });
            }
            else
            {
                Print(store, summary, schemaVersion);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static void Print(IUsageStore store, UsageSummary summary, int schemaVersion)
    {
        var table = new Table().AddColumns("", "");
        table.HideHeaders();
        table.AddRow("store", Markup.Escape(store.Description));
        table.AddRow("schema version", schemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("hourly rows", $"{summary.Rows:N0}");
        table.AddRow("hours", summary.FirstHour is null ? "-" : $"{UtcHour.Format(summary.FirstHour.Value)} .. {UtcHour.Format(summary.LastHour!.Value)}");
        table.AddRow("models / projects", $"{summary.Models} / {summary.Projects}");
        table.AddRow("tokens in / out", $"{summary.InputTokens:N0} / {summary.OutputTokens:N0}");
        table.AddRow("requests", $"{summary.Requests:N0}");
        table.AddRow("cost (reported)", summary.CostUsd is { } cost ? $"${cost:N2}" : "-");
        AnsiConsole.Write(table);
    }
}
