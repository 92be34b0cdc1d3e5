using Forecasting.Core;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;
using Microsoft.Extensions.Logging;

namespace Forecasting.Data.Collect;

/// <summary>
/// One use case: pull a window of hourly usage from a source and upsert it. The whole window is
/// fetched before anything is written, then written in one transaction, so a failed collection
/// stores nothing and a repeated one stores exactly the same rows.
/// </summary>
public sealed class UsageCollector(IUsageStore store, ILogger logger)
{
    public static IUsageSource CreateSource(string kind, Uri baseUrl, SourceHttpClient client, CollectorOptions options) =>
        kind.ToLowerInvariant() switch
        {
            "relay" => new RelayUsageSource(baseUrl, client, options),
            "openai" => new OpenAiUsageSource(baseUrl, client, options),
            _ => throw new InvalidInputException($"unknown source '{kind}'; expected relay or openai"),
        };

    public async Task<CollectOutcome> CollectAsync(IUsageSource source, SourceHttpClient client, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(client);
        // The window is checked where it enters (the CLI's --from/--to); here it is a caller's mistake.
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(to, from);
        ArgumentOutOfRangeException.ThrowIfLessThan(from, UsageLimits.FirstHour);

        var rows = await source.FetchAsync(from, to, cancellationToken);
        var stored = await store.UpsertAsync(rows, cancellationToken);
        SourceLog.Fetched(logger, rows.Count, source.Name, from, to, client.Attempts);
        return new CollectOutcome(source.Name, from, to, stored, rows.Select(r => r.Hour).Distinct().Count(), client.Attempts);
    }
}
