namespace Forecasting.ML.Models;

/// <summary>
/// A recent level shift of a series: a step up or down by more than <see cref="Factor"/> that every day since has kept.
/// Days are 24 h blocks ending at the origin; a shift at day s is seen when each day from s on is more than
/// <see cref="Factor"/> times above (or below) the same weekday in the week before s, for at least
/// <see cref="MinimumDays"/> days. The earliest such day within <see cref="LookbackDays"/> is the shift: a day before it
/// is not beyond its own week-earlier weekday, and a day after it compares with days already at the new level. A weekly
/// pattern does not look like a shift (each day is compared with its own weekday), a one-day burst does not either.
/// </summary>
public static class LevelShift
{
    /// <summary>A day's level must differ from the same weekday before the shift by more than this ratio, either way.</summary>
    public const double Factor = 3;

    /// <summary>A new level is taken as a shift once it has held this many days (one burst day is not a shift).</summary>
    public const int MinimumDays = 2;

    /// <summary>How far back a shift is looked for: five weeks, past the four weeks the seasonal median reads.</summary>
    public const int LookbackDays = 35;

    private const int Day = 24;

    /// <summary>
    /// The first hour of the new level and the ratio of the new level to the old one (the median of its days' ratios to
    /// their weekdays before the shift); null when the history has no recent shift.
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

        var ratios = new List<double>();
        for (var s = 7; s <= days - MinimumDays; s++)
        {
            ratios.Clear();
            var (up, down) = (true, true);
            for (var d = s; d < days && (up || down); d++)
            {
                // The same weekday in the week before the shift.
                var before = level[d - (7 * (((d - s) / 7) + 1))];
                if (double.IsNaN(level[d]) || double.IsNaN(before))
                {
                    continue;
                }

                if (!(before > 0))
                {
                    (up, down) = (false, false);
                    break;
                }

                var ratio = level[d] / before;
                up &= ratio > Factor;
                down &= ratio < 1 / Factor;
                ratios.Add(ratio);
            }

            if ((up || down) && ratios.Count >= MinimumDays)
            {
                ratios.Sort();
                return (first + (s * Day), ratios[ratios.Count / 2]);
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
}
