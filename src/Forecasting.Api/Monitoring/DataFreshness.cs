using Forecasting.Api.Services;
using Forecasting.Data.Stores;
using Microsoft.Extensions.Logging;

namespace Forecasting.Api.Monitoring;

/// <summary>
/// The newest usage hour in the store, for the freshness checks. Autoscale asks on every request, so the
/// answer is kept for <see cref="RefreshEvery"/> and then refreshed in the background while the last known
/// one is served; only the very first question waits for the store. After the first full summary a refresh
/// reads only the rows from the last known hour on (an index range on <c>hour</c>), not the whole table.
/// </summary>
internal sealed class DataFreshness(StoreConnection stores, ILogger<DataFreshness> logger)
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(30);

    private Snapshot? _snapshot;
    private int _refreshing;

    /// <summary>The start of the newest stored usage hour; null when the store holds no usage.</summary>
    public ValueTask<DateTimeOffset?> LastHourAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _snapshot) is not { } known)
        {
            return new ValueTask<DateTimeOffset?>(RefreshAsync(cancellationToken));
        }

        // A monotonic clock, as in ForecastReader: how old this process's copy is, not forecast time.
        if (Environment.TickCount64 - known.At >= RefreshEvery.TotalMilliseconds && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await RefreshAsync(CancellationToken.None);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // The last known hour keeps being served (and gets older, so it turns stale on its own); /health says why.
                    ApiLog.FreshnessNotRefreshed(logger, e);
                }
                finally
                {
                    Volatile.Write(ref _refreshing, 0);
                }
            }, CancellationToken.None);
        }

        return new ValueTask<DateTimeOffset?>(known.LastHour);
    }

    /// <summary>Reads the newest hour now; /health asks this way, so that it reports what the store holds.</summary>
    public async Task<DateTimeOffset?> RefreshAsync(CancellationToken cancellationToken)
    {
        var store = await stores.GetAsync(cancellationToken);
        DateTimeOffset? last = null;
        if (Volatile.Read(ref _snapshot)?.LastHour is { } known)
        {
            await foreach (var row in store.ReadAsync(new UsageQuery(From: known), cancellationToken))
            {
                // Ordered by hour: the last row read has the newest one.
                last = row.Hour;
            }
        }

        // First time, or the known hour's rows are gone (the store was emptied or replaced).
        last ??= (await store.SummarizeAsync(cancellationToken)).LastHour;
        Volatile.Write(ref _snapshot, new Snapshot(last, Environment.TickCount64));
        return last;
    }

    private sealed record Snapshot(DateTimeOffset? LastHour, long At);
}
