using Forecasting.Core.Forecasting;

namespace Forecasting.Core.Series;

/// <summary>
/// Fills NaN gaps in an hourly series whose first value is observed. Short gaps are interpolated
/// linearly; longer ones copy the same hour of the previous week (or day) and shift it to meet the
/// observed values on both sides, so a missing afternoon keeps its afternoon shape.
/// </summary>
public static class HourlyGapFiller
{
    // Up to this many missing hours a straight line is as good as a seasonal copy and needs no season.
    private const int LinearGapHours = 2;
    private const int Week = Horizon.HoursPerWeek;
    private const int Day = 24;

    public static void Fill(Span<double> series)
    {
        var t = 1;
        while (t < series.Length)
        {
            if (!double.IsNaN(series[t]))
            {
                t++;
                continue;
            }

            var end = t;
            while (end + 1 < series.Length && double.IsNaN(series[end + 1]))
            {
                end++;
            }

            FillGap(series, t, end);
            t = end + 1;
        }
    }

    private static void FillGap(Span<double> series, int start, int end)
    {
        var left = start - 1;
        var right = end + 1 < series.Length ? end + 1 : -1;
        var length = end - start + 1;
        var period = length <= LinearGapHours ? 0
            : left - Week >= 0 ? Week
            : left - Day >= 0 ? Day
            : 0;

        if (period == 0)
        {
            for (var t = start; t <= end; t++)
            {
                series[t] = right < 0
                    ? series[left]
                    : series[left] + ((series[right] - series[left]) * (t - left) / (right - left));
            }

            return;
        }

        var offsetLeft = series[left] - series[left - period];

        // The right anchor's seasonal partner must lie before the gap, or it is itself unknown yet.
        var offsetRight = right >= 0 && right - period < start
            ? series[right] - series[right - period]
            : offsetLeft;
        for (var t = start; t <= end; t++)
        {
            var weight = right < 0 ? 0.0 : (double)(t - left) / (right - left);
            series[t] = series[t - period] + offsetLeft + (weight * (offsetRight - offsetLeft));
        }
    }
}
