using Forecasting.Core.Metrics;
using Forecasting.Core.Usage;
using Forecasting.Reporting.Reports;

namespace Forecasting.Application;

/// <summary>Latency and errors per model and UTC day, from the stored hourly usage (for the report's "Service quality").</summary>
public static class ServiceQuality
{
    public static IReadOnlyList<ServiceQualityDay> Daily(IEnumerable<HourlyUsage> rows, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return [.. rows.Where(r => r.Hour >= since)
            .GroupBy(r => (r.Model, Day: DateOnly.FromDateTime(r.Hour.UtcDateTime)))
            .Select(g => new ServiceQualityDay(g.Key.Model, g.Key.Day, g.Sum(r => r.Requests), Weighted(g, r => r.LatencyMsP50), Weighted(g, r => r.LatencyMsP95), ErrorRate(g)))
            .OrderBy(d => d.Model, StringComparer.Ordinal).ThenBy(d => d.Day)];
    }

    private static double? Weighted(IEnumerable<HourlyUsage> items, Func<HourlyUsage, double?> value) => RequestWeighted.Mean(items, value, r => r.Requests);

    private static double? ErrorRate(IEnumerable<HourlyUsage> rows)
    {
        var known = rows.Where(r => r.Errors is not null).ToList();
        var requests = known.Sum(r => (double)r.Requests);
        return requests > 0 ? known.Sum(r => (double)r.Errors!.Value) / requests : null;
    }
}
