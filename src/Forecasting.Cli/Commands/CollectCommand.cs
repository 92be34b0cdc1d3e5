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
        var source = new Option<string?>("--source") { Description = "relay (the relay's /usage endpoint) or openai (organization usage API); or use --source-name / --all-sources" };
        source.AcceptOnlyFromAmong("relay", "openai");
        var baseUrl = new Option<string?>("--base-url") { Description = "Base address of the source, e.g. https://relay.example.com/v1" };
        var sourceName = new Option<string[]>("--source-name") { Description = "A source of the settings' \"sources\" list, by name (repeatable)", AllowMultipleArgumentsPerToken = false };
        var allSources = new Option<bool>("--all-sources") { Description = "Every source of the settings' \"sources\" list, in turn; one failing source does not stop the others" };
        var timestamps = new Option<bool>("--timestamps") { Description = "Relay: ask with ISO 8601 timestamps instead of YYYY-MM-DD dates" };
        var useGet = new Option<bool>("--get") { Description = "Relay: GET {base}/usage with a query string instead of POST" };
        var assumeUtc = new Option<bool>("--assume-utc") { Description = "Times the source writes without an offset are UTC (otherwise refused)" };
        var project = new Option<string>("--project") { Description = "Project of entries that name none", DefaultValueFactory = _ => "default" };
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
            source, baseUrl, sourceName, allSources, timestamps, useGet, assumeUtc, project, keyEnv, from, to, retries, timeout,
        };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            var end = ParseHour(parseResult.GetValue(to), "--to") ?? UtcHour.Truncate(TimeProvider.System.GetUtcNow());
            var start = ParseHour(parseResult.GetValue(from), "--from") ?? end.AddHours(-24);
            if (end <= start)
            {
                throw new InvalidInputException($"--to ({end:O}) must be after --from ({start:O})");
            }

            if (start < UsageLimits.FirstHour)
            {
                throw new InvalidInputException($"--from ({start:O}) is before {UtcHour.Format(UsageLimits.FirstHour)}, the first hour the product stores");
            }

            var names = parseResult.GetValue(sourceName) ?? [];
            if (parseResult.GetValue(retries) is < 0 or > 20)
            {
                throw new InvalidInputException($"--retries must be between 0 and 20, got {parseResult.GetValue(retries)}");
            }

            if (parseResult.GetValue(timeout) is not (> 0 and <= 600))
            {
                throw new InvalidInputException($"--timeout must be between 0 and 600 seconds, got {parseResult.GetValue(timeout)}");
            }

            if (names.Length > 0 || parseResult.GetValue(allSources))
            {
                if (parseResult.GetValue(source) is not null || parseResult.GetValue(baseUrl) is not null)
                {
                    throw new InvalidInputException("give either --source with --base-url, or --source-name/--all-sources (configured sources), not both");
                }

                return await CollectConfiguredAsync(parseResult, loggers, parseResult.GetValue(allSources) ? null : names, start, end, parseResult.GetValue(retries), parseResult.GetValue(timeout), cancellationToken);
            }

            if (parseResult.GetValue(source) is not { } kind || parseResult.GetValue(baseUrl) is not { } url)
            {
                throw new InvalidInputException("give --source and --base-url, or --source-name NAME / --all-sources for the settings' \"sources\"");
            }

            if (UsageLimits.CheckName(parseResult.GetValue(project)) is { } projectError)
            {
                throw new InvalidInputException($"--project: the name {projectError}");
            }

            var request = new CollectRequest(kind, url, parseResult.GetValue(keyEnv)!, start, end)
            {
                MaxRetries = parseResult.GetValue(retries),
                AttemptTimeout = TimeSpan.FromSeconds(parseResult.GetValue(timeout)),
                Project = parseResult.GetValue(project)!,
                DateOnly = !parseResult.GetValue(timestamps),
                UseGet = parseResult.GetValue(useGet),
                AssumeUtc = parseResult.GetValue(assumeUtc),
            };
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(request.ApiKeyVariable)))
            {
                // Before the store is opened: the most common mistake, said first.
                throw new InvalidInputException($"environment variable {request.ApiKeyVariable} is not set; put the source's API key there (see --api-key-env)");
            }

            await using var app = await CliApplication.OpenAsync(parseResult, loggers, cancellationToken);
            var store = app.Workspace.Store;
            var collect = app.Get<CollectUseCase>();
            using var http = SourceHttpClient.CreateHttpClient();
            CollectOutcome? outcome = null;
            await CommandRunner.Error.Status().StartAsync($"Collecting {request.Source} usage {UtcHour.Format(start)} .. {UtcHour.Format(end)}", async _ =>
                outcome = await collect.RunAsync(request, http, cancellationToken));
            AnsiConsole.MarkupLineInterpolated(
                $"[green]collected[/] {outcome!.RowsStored:N0} hourly rows over {outcome.Hours:N0} hours from {outcome.Source} ({outcome.HttpAttempts} HTTP attempts) into {store.Description}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<int> CollectConfiguredAsync(
        ParseResult parseResult, Microsoft.Extensions.Logging.ILoggerFactory loggers, string[]? names, DateTimeOffset start, DateTimeOffset end, int retries, double timeout, CancellationToken cancellationToken)
    {
        await using var app = await CliApplication.OpenAsync(parseResult, loggers, cancellationToken);
        var store = app.Workspace.Store;
        using var http = SourceHttpClient.CreateHttpClient();
        var results = await app.Get<CollectUseCase>().RunSourcesAsync(
            names, start, end, http, cancellationToken, r => r with { MaxRetries = retries, AttemptTimeout = TimeSpan.FromSeconds(timeout) });
        foreach (var result in results)
        {
            if (result.Outcome is { } outcome)
            {
                AnsiConsole.MarkupLineInterpolated(
                    $"[green]collected[/] {outcome.RowsStored:N0} hourly rows over {outcome.Hours:N0} hours from source {result.Name} ({outcome.HttpAttempts} HTTP attempts) into {store.Description}");
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"[red]failed:[/] source {result.Name}: {result.Error} (nothing stored from it)");
            }
        }

        var failed = results.Where(r => !r.Succeeded).Select(r => r.Name).ToList();
        if (failed.Count > 0)
        {
            Console.Error.WriteLine($"failed: {failed.Count} of {results.Count} sources: {string.Join(", ", failed)}; the others were collected");
            return ExitCodes.Failure;
        }

        return ExitCodes.Ok;
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
