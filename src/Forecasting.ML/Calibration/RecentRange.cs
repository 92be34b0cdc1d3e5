using Forecasting.ML.Models;

namespace Forecasting.ML.Calibration;

/// <summary>
/// The recent observed range of a series, and the bound it puts on what is served: no hour's p50 or p90 above
/// <see cref="ServedMultiple"/> times the largest hour of the last <see cref="Hours"/> (since a recent level shift, when
/// there is one: <see cref="LevelShift"/>). A scaler reading p90 provisions for it; a forecast many times any recent hour
/// (a recurrence run away, a model reading a level the series left) would provision the maximum.
/// </summary>
/// <remarks>
/// Two weeks hold two weekly cycles, so a quiet week (a holiday) does not hide the weekday peak. Twice that peak leaves a
/// series room to grow: at 50 % a week, a one-week horizon ends at 1.5 times it; an hour more than twice the largest of
/// the last two weeks is a new record by a factor of two, which the 80 % interval is not meant to hold.
/// </remarks>
public static class RecentRange
{
    /// <summary>The recent window, in hours before the origin: two weeks.</summary>
    public const int Hours = 14 * 24;

    /// <summary>The served p50 and p90 of any hour stay within this multiple of the recent range's largest hour.</summary>
    public const double ServedMultiple = 2;

    /// <summary>
    /// The largest observed hour of the last <see cref="Hours"/> of a history (or since a recent level shift, if later);
    /// NaN when none is observed.
    /// </summary>
    public static double Largest(ReadOnlySpan<double> history)
    {
        var from = Math.Max(0, history.Length - Hours);
        if (LevelShift.Detect(history) is { } shift)
        {
            from = Math.Max(from, shift.Start);
        }

        var max = double.NaN;
        foreach (var value in history[from..])
        {
            if (!double.IsNaN(value) && !(value <= max))
            {
                max = value;
            }
        }

        return max;
    }

    /// <summary>The served bound of a history: <see cref="ServedMultiple"/> times its recent largest hour; infinite when none is observed.</summary>
    public static double Ceiling(ReadOnlySpan<double> history)
    {
        var largest = Largest(history);
        return double.IsNaN(largest) ? double.PositiveInfinity : ServedMultiple * Math.Max(0, largest);
    }
}
