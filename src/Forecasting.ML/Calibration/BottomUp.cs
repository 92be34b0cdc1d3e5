namespace Forecasting.ML.Calibration;

/// <summary>
/// How a forecast is served from a median and a calibrator, the one code the backtest (<c>ServedOrigins</c>) and the
/// predictor share: a roll-up's median is the sum of its members' served medians (so the parts add up to the total),
/// and its interval is its own calibrated spread around that sum, always holding it.
/// </summary>
public static class BottomUp
{
    /// <summary>A roll-up served: per step, the sum of its members' medians (in the order given), then its interval.</summary>
    public static (double[] P50, double[] P10, double[] P90) Serve(string series, IReadOnlyList<double[]> members, int horizon, IntervalCalibrator calibrator, double scale)
    {
        var median = Sum(members, horizon);
        var (low, high) = Interval(series, median, calibrator, scale);
        return (median, low, high);
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

    /// <summary>The calibrated interval around a served median, widened where needed so that it holds the median.</summary>
    public static (double[] P10, double[] P90) Interval(string series, double[] median, IntervalCalibrator calibrator, double scale)
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

        return (low, high);
    }
}
