namespace Forecasting.Core.Usage;

/// <summary>
/// Folds rows that share an hour × model × project into one, summing counts. Sources that report
/// finer buckets (request logs, relay entries) use it; so does ingest to make "last row wins" explicit.
/// </summary>
public sealed class UsageAggregator
{
    private readonly Dictionary<UsageKey, HourlyUsage> _rows = [];

    public int Count => _rows.Count;

    public void Add(HourlyUsage row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var key = row.Key with { Hour = UtcHour.Truncate(row.Hour) };
        if (!_rows.TryGetValue(key, out var existing))
        {
            _rows[key] = row with { Hour = key.Hour };
            return;
        }

        _rows[key] = existing with
        {
            InputTokens = checked(existing.InputTokens + row.InputTokens),
            OutputTokens = checked(existing.OutputTokens + row.OutputTokens),
            Requests = checked(existing.Requests + row.Requests),
            CachedInputTokens = SumOrNull(existing.CachedInputTokens, row.CachedInputTokens),
            CostUsd = existing.CostUsd is null && row.CostUsd is null ? null : (existing.CostUsd ?? 0) + (row.CostUsd ?? 0),
            Errors = SumOrNull(existing.Errors, row.Errors),
            // Latency percentiles cannot be merged exactly; keep the worse of the two as an upper bound.
            LatencyMsP50 = Max(existing.LatencyMsP50, row.LatencyMsP50),
            LatencyMsP95 = Max(existing.LatencyMsP95, row.LatencyMsP95),
        };
    }

    /// <summary>Rows in a stable order: hour, project, model.</summary>
    public IReadOnlyList<HourlyUsage> ToList() =>
        [.. _rows.Values
            .OrderBy(r => r.Hour)
            .ThenBy(r => r.Project, StringComparer.Ordinal)
            .ThenBy(r => r.Model, StringComparer.Ordinal)];

    private static long? SumOrNull(long? a, long? b) => a is null && b is null ? null : checked((a ?? 0) + (b ?? 0));

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
