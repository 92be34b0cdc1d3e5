using System.CommandLine;
using System.Globalization;
using Forecasting.Application;
using Forecasting.Core;
using Forecasting.Core.Usage;
using Forecasting.Data.Collect;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class CollectCommand
{
    public static Command Create()
    {
        var source = new Option<string>("--source") { Description = "relay (the relay's /usage endpoint) or openai (organization usage API)", Required = true };
        source.AcceptOnlyFromAmong("relay", "openai");
        var baseUrl = new Option<string>("--base-url") { Description = "Base address of the source, e.g. https://relay.example.com/v1", Required = true };
        var keyEnv = new Option<string>("--api-key-env")
        {
            Description = "Name of the environment variable that holds the bearer key (the key itself never goes on the command line)",
            DefaultValueFactory = _ => "FORECASTING_RELAY_KEY",
        };
        var from = new Option<string?>("--from") { Description = "First hour, ISO 8601 UTC (default: 24 hours before --to)" };
        var to = new Option<string?>("--to") { Description = "End hour, exclusive, ISO 8601 UTC (default: the start of the current hour)" };
        var retries = new Option<int>("--retries") { Description = "Retries on 429/5xx/timeouts", DefaultValueFactory = _ => 5 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds allowed per HTTP attempt", DefaultValueFactory = _ => 30 };
        var command = new Command("collect", "Pull hourly usage from the relay or the OpenAI usage API and store it (idempotent).")
        {
            source, baseUrl, keyEnv, from, to, retries, timeout,
        };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            var end = ParseHour(parseResult.GetValue(to), "--to") ?? UtcHour.Truncate(TimeProvider.System.GetUtcNow());
            var start = ParseHour(parseResult.GetValue(from), "--from") ?? end.AddHours(-24);
            var request = new CollectRequest(parseResult.GetValue(source)!, parseResult.GetValue(baseUrl)!, parseResult.GetValue(keyEnv)!, start, end)
            {
                MaxRetries = parseResult.GetValue(retries),
                AttemptTimeout = TimeSpan.FromSeconds(parseResult.GetValue(timeout)),
            };
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(request.ApiKeyVariable)))
            {
                // Before the store is opened: the most common mistake, said first.
                throw new InvalidInputException($"environment variable {request.ApiKeyVariable} is not set; put the source's API key there (see --api-key-env)");
            }

            var workspace = await CliWorkspace.OpenAsync(parseResult, loggers, cancellationToken);
            await using var store = workspace.Store;
            using var http = SourceHttpClient.CreateHttpClient();
            CollectOutcome? outcome = null;
            await CommandRunner.Error.Status().StartAsync($"Collecting {request.Source} usage {UtcHour.Format(start)} .. {UtcHour.Format(end)}", async _ =>
                outcome = await new CollectUseCase(workspace).RunAsync(request, http, cancellationToken));
            AnsiConsole.MarkupLineInterpolated(
                $"[green]collected[/] {outcome!.RowsStored:N0} hourly rows over {outcome.Hours:N0} hours from {outcome.Source} ({outcome.HttpAttempts} HTTP attempts) into {store.Description}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static DateTimeOffset? ParseHour(string? text, string option)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            throw new InvalidInputException($"{option} '{text}' is not an ISO 8601 time such as 2026-01-05T13:00:00Z");
        }

        return UtcHour.Truncate(value);
    }
}
