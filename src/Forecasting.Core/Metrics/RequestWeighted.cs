namespace Forecasting.Core.Metrics;

/// <summary>Means weighted by request counts, as service-quality figures (latency, error rate) are.</summary>
public static class RequestWeighted
{
    /// <summary>
    /// The request-weighted mean of the items that report the value (an item without requests counts
    /// once); null when none does.
    /// </summary>
    public static double? Mean<T>(IEnumerable<T> items, Func<T, double?> value, Func<T, long> requests)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(requests);
        double sum = 0, weight = 0;
        foreach (var item in items)
        {
            if (value(item) is { } v)
            {
                var w = Math.Max(1, requests(item));
                sum += v * w;
                weight += w;
            }
        }

        return weight > 0 ? sum / weight : null;
    }
}
