namespace Forecasting.ML.Models;

/// <summary>
/// A recent level shift of a series: a step up or down by more than <see cref="Factor"/> that every day since has kept.
/// Days are 24 h blocks ending at the origin; a shift at day s is seen when each day from s on (at least
/// <see cref="MinimumDays"/>) is more than <see cref="Factor"/> times above the largest day of the week before s, or below
/// its smallest. The earliest such day within <see cref="LookbackDays"/> is the shift: a day before it lies within its own
/// week's range, and the week before a later day holds days of the new level. A weekly pattern cannot look like a shift
/// (a week's days lie within the range of the week before), nor can one burst day, nor the quiet after a burst (the
/// week before it holds quiet days too).
/// </summary>
public static class LevelShift
{
    /// <summary>
    /// Each day of a new level is beyond the range of the week before the shift by more than this ratio, either way: more
    /// than a busy weekday over a quiet one, less than a five-fold step seen on a quiet (0.6) weekend.
    /// </summary>
    public const double Factor = 2.5;

    /// <summary>A new level is taken as a shift once it has held this many days (one burst day is not a shift).</summary>
    public const int MinimumDays = 2;

    /// <summary>How far back a shift is looked for: five weeks, past the four weeks the seasonal median reads.</summary>
    public const int LookbackDays = 35;

    private const int Day = 24;

    /// <summary>
    /// The first hour of the new level and the ratio of the new level to the old one (the median day since the shift over
    /// the median day of the week before it); null when the history has no recent shift.
    /// </summary>
    public static (int Start, double Ratio)? Detect(ReadOnlySpan<double> history)
    {
        var days = Math.Min(history.Length / Day, LookbackDays);
        if (days < 7 + MinimumDays)
        {
            return null;
        }

        // Each day's mean of its observed hours (NaN with fewer than half observed), oldest first.
        var level = new double[days];
        var first = history.Length - (days * Day);
        for (var d = 0; d < days; d++)
        {
            var (sum, observed) = (0.0, 0);
            foreach (var value in history.Slice(first + (d * Day), Day))
            {
                if (!double.IsNaN(value))
                {
                    sum += value;
                    observed++;
                }
            }

            level[d] = observed * 2 >= Day ? sum / observed : double.NaN;
        }

        // The range and count of the observed days from each day on, so that each candidate is read without a pass.
        var (laterLow, laterHigh, laterCount) = (new double[days + 1], new double[days + 1], new int[days + 1]);
        (laterLow[days], laterHigh[days]) = (double.PositiveInfinity, double.NegativeInfinity);
        for (var d = days - 1; d >= 0; d--)
        {
            var observed = !double.IsNaN(level[d]);
            laterLow[d] = observed ? Math.Min(laterLow[d + 1], level[d]) : laterLow[d + 1];
            laterHigh[d] = observed ? Math.Max(laterHigh[d + 1], level[d]) : laterHigh[d + 1];
            laterCount[d] = laterCount[d + 1] + (observed ? 1 : 0);
        }

        for (var s = 7; s <= days - MinimumDays; s++)
        {
            var (low, high, count) = (double.PositiveInfinity, double.NegativeInfinity, 0);
            foreach (var day in level.AsSpan(s - 7, 7))
            {
                if (!double.IsNaN(day))
                {
                    (low, high, count) = (Math.Min(low, day), Math.Max(high, day), count + 1);
                }
            }

            if (count < 4 || laterCount[s] < MinimumDays)
            {
                continue;
            }

            var up = high > 0 && laterLow[s] > high * Factor;
            var down = low > 0 && laterHigh[s] < low / Factor;
            if (up || down)
            {
                return (first + (s * Day), Median(level.AsSpan(s)) / Median(level.AsSpan(s - 7, 7)));
            }
        }

        return null;
    }

    /// <summary>
    /// The history at its new level: the hours before a recent shift scaled by its ratio, so that a model reading further
    /// back than the shift (a median of four weeks, a decomposition of eight) forecasts from the new level with the
    /// pattern it had. The history itself when there is no shift.
    /// </summary>
    public static ReadOnlyMemory<double> Adjust(ReadOnlyMemory<double> history)
    {
        if (Detect(history.Span) is not { } shift)
        {
            return history;
        }

        var adjusted = history.ToArray();
        for (var t = 0; t < shift.Start; t++)
        {
            adjusted[t] *= shift.Ratio;
        }

        return adjusted;
    }

    /// <summary>The median of the observed days.</summary>
    private static double Median(ReadOnlySpan<double> days)
    {
        var values = new List<double>(days.Length);
        foreach (var day in days)
        {
            if (!double.IsNaN(day))
            {
                values.Add(day);
            }
        }

        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
