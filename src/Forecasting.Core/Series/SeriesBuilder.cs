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
        // Per series its (hour, value) pairs in the order read: 16 bytes an hour (a sorted dictionary's node is about 64,
        // and at 10,000 series × 8 weeks the rows are 13 M). Sorted by hour afterwards, the last value of an hour winning.
        var points = new Dictionary<SeriesKey, List<(long Ticks, double Value)>>();
        foreach (var row in rows)
        {
            var key = new SeriesKey(row.Project, row.Model);
            if (!points.TryGetValue(key, out var series))
            {
                points[key] = series = [];
            }

            series.Add((row.Hour.UtcTicks, target.ValueOf(row, prices)));
        }

        if (points.Count == 0)
        {
            return [];
        }

        foreach (var series in points.Values)
        {
            Order(series);
        }

        var start = new DateTimeOffset(points.Values.Min(p => p[0].Ticks), TimeSpan.Zero);
        var end = new DateTimeOffset(points.Values.Max(p => p[^1].Ticks), TimeSpan.Zero);
        var hours = (int)((end - start).Ticks / TimeSpan.TicksPerHour) + 1;
        var leaves = new List<HourlySeries>();
        var aligned = new Dictionary<SeriesKey, double[]>();
        var firsts = new Dictionary<SeriesKey, int>();
        foreach (var (key, series) in points.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
        {
            var full = new double[hours];
            Array.Fill(full, double.NaN);
            foreach (var (ticks, value) in series)
            {
                full[Index(start, ticks)] = value;
            }

            var first = Index(start, series[0].Ticks);
            var last = Index(start, series[^1].Ticks);
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
            leaves.Add(new HourlySeries(key, start.AddHours(first), full[first..(last + 1)]));
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

    private static int Index(DateTimeOffset start, long utcTicks) => (int)((utcTicks - start.UtcTicks) / TimeSpan.TicksPerHour);

    /// <summary>
    /// Orders one series' pairs by hour, keeping of each hour only its last value read (a later row replaces an earlier
    /// one, as in the store). Rows read from the store come in hour order, so usually this only checks.
    /// </summary>
    private static void Order(List<(long Ticks, double Value)> series)
    {
        var ordered = true;
        for (var i = 1; i < series.Count && ordered; i++)
        {
            ordered = series[i].Ticks > series[i - 1].Ticks;
        }

        if (ordered)
        {
            return;
        }

        // A stable sort (equal hours stay in the order read), then the last of each run of equal hours.
        var sorted = series.Select((p, i) => (p.Ticks, Index: i, p.Value)).OrderBy(p => p.Ticks).ThenBy(p => p.Index).ToList();
        series.Clear();
        for (var i = 0; i < sorted.Count; i++)
        {
            if (i + 1 < sorted.Count && sorted[i + 1].Ticks == sorted[i].Ticks)
            {
                continue;
            }

            series.Add((sorted[i].Ticks, sorted[i].Value));
        }
    }
}
