namespace Forecasting.Core.Series;

/// <summary>
/// One hourly series: <see cref="Values"/>[i] is the hour <see cref="Start"/> + i. NaN marks a gap
/// (a known missing hour), never a zero.
/// </summary>
public sealed class HourlySeries(SeriesKey key, DateTimeOffset start, double[] values)
{
    public SeriesKey Key { get; } = key;

    public DateTimeOffset Start { get; } = start;

    public double[] Values { get; } = values ?? throw new ArgumentNullException(nameof(values));

    public int Length => Values.Length;

    /// <summary>The last hour of the series (the forecast origin).</summary>
    public DateTimeOffset LastHour => Start.AddHours(Length - 1);

    public int Gaps => Values.Count(double.IsNaN);

    public DateTimeOffset HourAt(int index) => Start.AddHours(index);

    /// <summary>The first <paramref name="length"/> hours: what a forecaster at an earlier origin saw.</summary>
    public HourlySeries Head(int length) => new(Key, Start, Values[..length]);
}
