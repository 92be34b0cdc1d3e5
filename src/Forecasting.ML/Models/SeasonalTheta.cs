using Forecasting.Core.Forecasting;

namespace Forecasting.ML.Models;

/// <summary>
/// The Theta method (Assimakopoulos and Nikolopoulos; the M4 "Theta" benchmark) on a seasonally adjusted series:
/// classical decomposition by the <c>period</c>-hour profile (multiplicative when every value is positive, else
/// additive), simple exponential smoothing of the adjusted series (alpha by least one-step squared error) with half
/// its linear trend as drift, then the profile put back. A smooth, trend-following candidate beside the seasonal
/// baselines, SSA and the global trees; the backtest decides where it serves.
/// </summary>
public sealed class SeasonalTheta(int period = Horizon.HoursPerDay) : IForecaster
{
    private double[] _profile = [];
    private double _level;
    private double _slope;
    private double _alpha = 1;
    private int _length;
    private bool _multiplicative;

    public string Name => NameOf(period);

    /// <summary>Its <see cref="ModelId.Theta"/> name: bare for the daily profile, with the period for others.</summary>
    public static string NameOf(int period) => ModelId.Theta(period).ToString();

    public void Fit(ReadOnlySpan<double> history)
    {
        var y = SeasonalNaive.Prepared(history);
        if (y.Length == 0)
        {
            throw new ArgumentException("history has no observed value", nameof(history));
        }

        _length = y.Length;
        _multiplicative = y.All(v => v > 0);
        _profile = Profile(y, period, _multiplicative);
        var adjusted = new double[y.Length];
        for (var t = 0; t < y.Length; t++)
        {
            var s = _profile[t % _profile.Length];
            adjusted[t] = _multiplicative ? y[t] / s : y[t] - s;
        }

        _slope = Slope(adjusted);
        (_alpha, _level) = Ses(adjusted);
    }

    public double[] Predict(int horizon)
    {
        if (_profile.Length == 0)
        {
            throw new InvalidOperationException("Fit first");
        }

        var result = new double[horizon];
        var tail = Math.Pow(1 - _alpha, _length) / _alpha;
        for (var h = 0; h < horizon; h++)
        {
            var adjusted = _level + (0.5 * _slope * (h + (1 / _alpha) - tail));
            var s = _profile[(_length + h) % _profile.Length];
            result[h] = Math.Max(0, _multiplicative ? adjusted * s : adjusted + s);
        }

        return result;
    }

    /// <summary>
    /// The seasonal index of each position t mod period: the mean ratio (or difference) of the series to its centred
    /// 2×period moving average, normalised to mean 1 (or 0). Flat (1 or 0) with less than two periods of history.
    /// </summary>
    internal static double[] Profile(double[] y, int period, bool multiplicative)
    {
        var profile = new double[period];
        var neutral = multiplicative ? 1.0 : 0.0;
        if (y.Length < 2 * period)
        {
            Array.Fill(profile, neutral);
            return profile;
        }

        var sums = new double[period];
        var counts = new int[period];
        var half = period / 2;
        for (var t = half; t + half < y.Length; t++)
        {
            // Centred moving average of an even period: half weights at both ends.
            double sum = (y[t - half] + y[t + half]) / 2;
            for (var k = t - half + 1; k < t + half; k++)
            {
                sum += y[k];
            }

            var trend = sum / period;
            if (multiplicative && trend <= 0)
            {
                continue;
            }

            sums[t % period] += multiplicative ? y[t] / trend : y[t] - trend;
            counts[t % period]++;
        }

        for (var s = 0; s < period; s++)
        {
            profile[s] = counts[s] > 0 ? sums[s] / counts[s] : neutral;
        }

        var mean = profile.Average();
        for (var s = 0; s < period; s++)
        {
            profile[s] = multiplicative ? (mean > 0 ? profile[s] / mean : 1) : profile[s] - mean;
        }

        return profile;
    }

    /// <summary>Least-squares slope of the series against time.</summary>
    internal static double Slope(double[] y)
    {
        var n = y.Length;
        if (n < 2)
        {
            return 0;
        }

        var meanT = (n - 1) / 2.0;
        var meanY = y.Average();
        double num = 0, den = 0;
        for (var t = 0; t < n; t++)
        {
            num += (t - meanT) * (y[t] - meanY);
            den += (t - meanT) * (t - meanT);
        }

        return num / den;
    }

    /// <summary>Simple exponential smoothing from the first value, alpha on a 0.01 grid by least one-step squared error.</summary>
    internal static (double Alpha, double Level) Ses(double[] y)
    {
        var best = (Alpha: 1.0, Level: y[^1], Error: double.PositiveInfinity);
        for (var step = 1; step <= 100; step++)
        {
            var alpha = step / 100.0;
            var level = y[0];
            double error = 0;
            for (var t = 1; t < y.Length; t++)
            {
                var e = y[t] - level;
                error += e * e;
                level += alpha * e;
            }

            if (error < best.Error)
            {
                best = (alpha, level, error);
            }
        }

        return (best.Alpha, best.Level);
    }
}
