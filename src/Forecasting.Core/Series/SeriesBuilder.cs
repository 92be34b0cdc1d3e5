using Forecasting.Core.Pricing;
using Forecasting.Core.Usage;

namespace Forecasting.Core.Series;

/// <summary>
/// Turns stored usage rows into hourly series: one per project × model (leaf) plus the roll-ups
/// per project, per model and in total. A leaf spans its first to its last observed hour; missing
/// hours inside are gaps (NaN). A roll-up hour is the sum of its leaves, a leaf counting zero
/// outside its span; it is a gap when any leaf inside its span is missing that hour.
/// </summary>
public static class SeriesBuilder
{
    public static IReadOnlyList<HourlySeries> Build(IEnumerable<HourlyUsage> rows, ForecastTarget target, PriceTable prices, bool rollups = true)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(prices);
        var points = new Dictionary<SeriesKey, SortedDictionary<DateTimeOffset, double>>();
        foreach (var row in rows)
        {
            var key = new SeriesKey(row.Project, row.Model);
            if (!points.TryGetValue(key, out var series))
            {
                points[key] = series = [];
            }

            series[row.Hour] = Value(row, target, prices);
        }

        if (points.Count == 0)
        {
            return [];
        }

        var start = points.Values.Min(p => p.Keys.First());
        var end = points.Values.Max(p => p.Keys.Last());
        var hours = (int)((end - start).Ticks / TimeSpan.TicksPerHour) + 1;
        var leaves = new List<HourlySeries>();
        var aligned = new Dictionary<SeriesKey, double[]>();
        var firsts = new Dictionary<SeriesKey, int>();
        foreach (var (key, series) in points.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
        {
            var full = new double[hours];
            Array.Fill(full, double.NaN);
            foreach (var (hour, value) in series)
            {
                full[Index(start, hour)] = value;
            }

            var first = Index(start, series.Keys.First());
            var last = Index(start, series.Keys.Last());
            for (var i = 0; i < first; i++)
            {
                full[i] = 0;
            }

            for (var i = last + 1; i < hours; i++)
            {
                full[i] = 0;
            }

            aligned[key] = full;
            firsts[key] = first;
            leaves.Add(new HourlySeries(key, series.Keys.First(), full[first..(last + 1)]));
        }

        if (!rollups)
        {
            return leaves;
        }

        var result = new List<HourlySeries>(leaves);
        var groups = new List<SeriesKey> { SeriesKey.Total };
        groups.AddRange(aligned.Keys.Select(k => new SeriesKey(k.Project, SeriesKey.All)).Distinct().OrderBy(k => k.Project, StringComparer.Ordinal));
        groups.AddRange(aligned.Keys.Select(k => new SeriesKey(SeriesKey.All, k.Model)).Distinct().OrderBy(k => k.Model, StringComparer.Ordinal));
        foreach (var group in groups)
        {
            var sum = new double[hours];
            foreach (var (key, values) in aligned.Where(a => group.Contains(a.Key)))
            {
                for (var i = 0; i < hours; i++)
                {
                    sum[i] += values[i];
                }
            }

            // The roll-up starts with its earliest leaf: a gap (NaN) or a zero there is data, not padding.
            var first = firsts.Where(f => group.Contains(f.Key)).Min(f => f.Value);
            result.Add(new HourlySeries(group, start.AddHours(first), sum[first..]));
        }

        return result;
    }

    private static int Index(DateTimeOffset start, DateTimeOffset hour) => (int)((hour - start).Ticks / TimeSpan.TicksPerHour);

    private static double Value(HourlyUsage row, ForecastTarget target, PriceTable prices) => target switch
    {
        ForecastTarget.Tokens => row.TotalTokens,
        ForecastTarget.Requests => row.Requests,
        ForecastTarget.Cost => row.CostUsd ?? prices.Cost(row) ?? double.NaN,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, null),
    };
}
