using System.CommandLine;
using Forecasting.Application;
using Forecasting.Core.Usage;
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
            await using var app = await CliApplication.OpenAsync(parseResult, loggers, cancellationToken, readSettings: false);
            var status = await app.Get<StatusQuery>().GetAsync(cancellationToken);
            var summary = status.Summary;
            if (parseResult.GetValue(json))
            {
                CliJson.Write(new
                {
                    store = status.Store,
                    schema_version = status.SchemaVersion,
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
                Print(status);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static void Print(StoreStatus status)
    {
        var summary = status.Summary;
        var table = new Table().AddColumns("", "");
        table.HideHeaders();
        table.AddRow("store", Markup.Escape(status.Store));
        table.AddRow("schema version", status.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("hourly rows", $"{summary.Rows:N0}");
        table.AddRow("hours", summary.FirstHour is null ? "-" : $"{UtcHour.Format(summary.FirstHour.Value)} .. {UtcHour.Format(summary.LastHour!.Value)}");
        table.AddRow("models / projects", $"{summary.Models} / {summary.Projects}");
        table.AddRow("tokens in / out", $"{summary.InputTokens:N0} / {summary.OutputTokens:N0}");
        table.AddRow("requests", $"{summary.Requests:N0}");
        table.AddRow("cost (reported)", summary.CostUsd is { } cost ? $"${cost:N2}" : "-");
        AnsiConsole.Write(table);
    }
}
