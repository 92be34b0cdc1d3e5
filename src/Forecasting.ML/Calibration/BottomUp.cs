namespace Forecasting.ML.Calibration;

/// <summary>
/// How a forecast is served from a median and a calibrator, the one code the backtest (<c>ServedOrigins</c>) and the
/// predictor share: a roll-up's median is the sum of its members' served medians (so the parts add up to the total),
/// and its interval is its own calibrated spread around that sum, always holding it. Every series served is bounded by
/// its recent range (<see cref="RecentRange.Ceiling"/>): a leaf's p50 and p90 stay within it; a roll-up's p50 stays the
/// sum of its leaves' (the parts add up), its p90 within the larger of its own bound and that sum.
/// </summary>
public static class BottomUp
{
    /// <summary>A roll-up served: per step, the sum of its members' medians (in the order given), then its interval.</summary>
    public static (double[] P50, double[] P10, double[] P90) Serve(string series, IReadOnlyList<double[]> members, int horizon, IntervalCalibrator calibrator, double scale, double ceiling)
    {
        var median = Sum(members, horizon);
        var (low, high) = Interval(series, median, calibrator, scale, ceiling);
        return (median, low, high);
    }

    /// <summary>
    /// A leaf's median bounded by its ceiling (<see cref="RecentRange.Ceiling"/> of its history up to the origin): the
    /// same array when no hour is above it, else a bounded copy (the model's own forecast is not changed).
    /// </summary>
    public static double[] Bound(double[] median, double ceiling)
    {
        ArgumentNullException.ThrowIfNull(median);
        if (!median.Any(v => v > ceiling))
        {
            return median;
        }

        return [.. median.Select(v => Math.Min(v, ceiling))];
    }

    /// <summary>A p90 bounded by the ceiling, never below the median it is served with: in place.</summary>
    public static void Cap(double[] median, double[] p90, double ceiling)
    {
        ArgumentNullException.ThrowIfNull(median);
        ArgumentNullException.ThrowIfNull(p90);
        for (var h = 0; h < p90.Length; h++)
        {
            p90[h] = Math.Min(p90[h], Math.Max(ceiling, median[h]));
        }
    }

    /// <summary>Per step, the sum of the members' medians, in the order given.</summary>
    public static double[] Sum(IReadOnlyList<double[]> members, int horizon)
    {
        ArgumentNullException.ThrowIfNull(members);
        var sum = new double[horizon];
        for (var step = 1; step <= horizon; step++)
        {
            sum[step - 1] = members.Sum(m => m[step - 1]);
        }

        return sum;
    }

    /// <summary>
    /// The calibrated interval around a served median, widened where needed so that it holds the median, its p90 bounded
    /// by the ceiling (<see cref="Cap"/>).
    /// </summary>
    public static (double[] P10, double[] P90) Interval(string series, double[] median, IntervalCalibrator calibrator, double scale, double ceiling)
    {
        ArgumentNullException.ThrowIfNull(median);
        ArgumentNullException.ThrowIfNull(calibrator);
        var (low, high) = (new double[median.Length], new double[median.Length]);
        for (var step = 1; step <= median.Length; step++)
        {
            var p50 = median[step - 1];
            var (p10, p90) = calibrator.Interval(series, step, p50, scale);
            (low[step - 1], high[step - 1]) = (Math.Min(p10, p50), Math.Max(p90, p50));
        }

        Cap(median, high, ceiling);
        return (low, high);
    }
}
