namespace Forecasting.Core.Metrics;

/// <summary>Accuracy measures with the M4 competition's definitions. Pairs with a NaN actual are skipped.</summary>
public static class ForecastMetrics
{
    public static double Mae(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        double sum = 0;
        var n = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (double.IsNaN(actual[i]))
            {
                continue;
            }

            sum += Math.Abs(actual[i] - forecast[i]);
            n++;
        }

        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>Mean of 200·|y − f| / (|y| + |f|), in percent; hours where both are zero count as zero error.</summary>
    public static double Smape(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        double sum = 0;
        var n = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (double.IsNaN(actual[i]))
            {
                continue;
            }

            var denominator = Math.Abs(actual[i]) + Math.Abs(forecast[i]);
            sum += denominator == 0 ? 0 : 200 * Math.Abs(actual[i] - forecast[i]) / denominator;
            n++;
        }

        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>MAE of the in-sample seasonal naive forecast: the MASE denominator.</summary>
    public static double SeasonalNaiveScale(ReadOnlySpan<double> history, int period)
    {
        double sum = 0;
        var n = 0;
        for (var t = period; t < history.Length; t++)
        {
            if (double.IsNaN(history[t]) || double.IsNaN(history[t - period]))
            {
                continue;
            }

            sum += Math.Abs(history[t] - history[t - period]);
            n++;
        }

        return n == 0 ? double.NaN : sum / n;
    }

    public static double Mase(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast, ReadOnlySpan<double> history, int period) =>
        Mae(actual, forecast) / SeasonalNaiveScale(history, period);

    /// <summary>
    /// Mean scaled interval score (M4's interval measure) of a (1 − <paramref name="alpha"/>) interval: per hour the
    /// width, plus 2/alpha times how far the actual falls outside, averaged and divided by the in-sample seasonal naive
    /// MAE (as MASE). Lower is better; hours with a NaN actual or bound are left out.
    /// </summary>
    public static double Msis(ReadOnlySpan<double> actual, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper, ReadOnlySpan<double> history, int period, double alpha = 0.05)
    {
        double sum = 0;
        var n = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (double.IsNaN(actual[i]) || double.IsNaN(lower[i]) || double.IsNaN(upper[i]))
            {
                continue;
            }

            sum += upper[i] - lower[i]
                + (actual[i] < lower[i] ? 2 / alpha * (lower[i] - actual[i]) : 0)
                + (actual[i] > upper[i] ? 2 / alpha * (actual[i] - upper[i]) : 0);
            n++;
        }

        return n == 0 ? double.NaN : sum / n / SeasonalNaiveScale(history, period);
    }

    /// <summary>Share of actuals inside [lower, upper].</summary>
    public static double Coverage(ReadOnlySpan<double> actual, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper)
    {
        var inside = 0;
        var n = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (double.IsNaN(actual[i]) || double.IsNaN(lower[i]) || double.IsNaN(upper[i]))
            {
                continue;
            }

            n++;
            if (actual[i] >= lower[i] && actual[i] <= upper[i])
            {
                inside++;
            }
        }

        return n == 0 ? double.NaN : (double)inside / n;
    }

    /// <summary>Share of each forecast's hours, by p50, that are its predicted peaks.</summary>
    public const double PeakShare = 0.15;

    /// <summary>Mean pinball (quantile) loss of <paramref name="quantile"/> as the τ-quantile: τ·(y − q) above it, (1 − τ)·(q − y) below.</summary>
    public static double Pinball(ReadOnlySpan<double> actual, ReadOnlySpan<double> quantile, double tau)
    {
        double sum = 0;
        var n = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (double.IsNaN(actual[i]) || double.IsNaN(quantile[i]))
            {
                continue;
            }

            var error = actual[i] - quantile[i];
            sum += error >= 0 ? tau * error : (tau - 1) * error;
            n++;
        }

        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>
    /// The predicted peaks of one forecast: the ceiling of <see cref="PeakShare"/> × its hours with the highest p50
    /// (ties by earlier hour). Known when the forecast is made, so coverage there is a fair test of the interval.
    /// </summary>
    public static bool[] PeakHours(ReadOnlySpan<double> p50)
    {
        var peaks = new bool[p50.Length];
        var count = (int)Math.Ceiling(PeakShare * p50.Length);
        var order = new int[p50.Length];
        var keys = new double[p50.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            keys[i] = -p50[i];
        }

        Array.Sort(keys, order);
        for (var i = 0; i < count; i++)
        {
            peaks[order[i]] = true;
        }

        return peaks;
    }

    /// <summary>M4's overall weighted average relative to Naive2's published hourly sMAPE and MASE.</summary>
    public static double Owa(double smape, double mase, double naive2Smape = 18.383, double naive2Mase = 2.395) =>
        0.5 * ((smape / naive2Smape) + (mase / naive2Mase));
}
