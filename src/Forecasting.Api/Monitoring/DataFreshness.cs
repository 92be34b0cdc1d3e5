using Forecasting.Api.Services;
using Forecasting.Core.Usage;
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

    /// <summary>The usage rows of the newest stored hour, as of the last refresh (for the actual-against-p90 gauges).</summary>
    public IReadOnlyList<HourlyUsage> NewestRows => Volatile.Read(ref _snapshot)?.NewestRows ?? [];

    /// <summary>Reads the newest hour and its rows now.</summary>
    public async Task<DateTimeOffset?> RefreshAsync(CancellationToken cancellationToken)
    {
        var store = await stores.GetAsync(cancellationToken);
        var from = Volatile.Read(ref _snapshot)?.LastHour;
        var (last, rows) = from is { } known ? await ReadFromAsync(store, known, cancellationToken) : (null, []);
        if (last is null && (await store.SummarizeAsync(cancellationToken)).LastHour is { } summarized)
        {
            // First time, or the known hour's rows are gone (the store was emptied or replaced).
            (last, rows) = await ReadFromAsync(store, summarized, cancellationToken);
        }

        Volatile.Write(ref _snapshot, new Snapshot(last, rows, Environment.TickCount64));
        return last;
    }

    private static async Task<(DateTimeOffset? Last, List<HourlyUsage> Rows)> ReadFromAsync(IUsageStore store, DateTimeOffset from, CancellationToken cancellationToken)
    {
        DateTimeOffset? last = null;
        var rows = new List<HourlyUsage>();
        await foreach (var row in store.ReadAsync(new UsageQuery(From: from), cancellationToken))
        {
            // Ordered by hour: keep only the newest hour's rows.
            if (row.Hour != last)
            {
                rows.Clear();
                last = row.Hour;
            }

            rows.Add(row);
        }

        return (last, rows);
    }

    private sealed record Snapshot(DateTimeOffset? LastHour, List<HourlyUsage> NewestRows, long At);
}
