using System.CommandLine;
using System.Globalization;
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
            var variable = parseResult.GetValue(keyEnv)!;
            var key = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(key))
            {
                throw new InvalidInputException($"environment variable {variable} is not set; put the source's API key there (see --api-key-env)");
            }

            if (!Uri.TryCreate(parseResult.GetValue(baseUrl), UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidInputException("--base-url is not an http(s) address such as https://relay.example.com/v1 (the value is not repeated: it may hold a password)");
            }

            var end = ParseHour(parseResult.GetValue(to), "--to") ?? UtcHour.Truncate(TimeProvider.System.GetUtcNow());
            var start = ParseHour(parseResult.GetValue(from), "--from") ?? end.AddHours(-24);
            var options = new CollectorOptions
            {
                MaxRetries = parseResult.GetValue(retries),
                AttemptTimeout = TimeSpan.FromSeconds(parseResult.GetValue(timeout)),
            };

            await using var store = await CliStore.OpenAsync(parseResult, loggers, cancellationToken);
            using var http = SourceHttpClient.CreateHttpClient();
            var logger = loggers.CreateLogger("collect");
            var client = new SourceHttpClient(http, key, options, logger);
            var usageSource = UsageCollector.CreateSource(parseResult.GetValue(source)!, address, client, options);
            var collector = new UsageCollector(store, logger);
            CollectOutcome? outcome = null;
            await AnsiConsole.Status().StartAsync($"Collecting {usageSource.Name} usage {UtcHour.Format(start)} .. {UtcHour.Format(end)}", async _ =>
                outcome = await collector.CollectAsync(usageSource, client, start, end, cancellationToken));
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
