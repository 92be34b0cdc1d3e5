namespace Forecasting.Core.Backtesting;

/// <summary>
/// Conformal prediction intervals: quantiles of past backtest residuals, scaled by the series
/// level and kept per block of 24 horizon steps (errors grow with the horizon). Residuals of the
/// series itself are used when there are enough, else those of all series together.
/// </summary>
public sealed class IntervalCalibrator
{
    public const int BlockHours = 24;
    private const int MinSamples = 48;

    private readonly Dictionary<(string Series, int Block), (double Low, double High)> _perSeries = [];
    private readonly Dictionary<int, (double Low, double High)> _pooled = [];

    public IntervalCalibrator(IEnumerable<BacktestPoint> residuals, double level)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        var lowQ = (1 - level) / 2;
        var highQ = 1 - lowQ;
        var usable = residuals.Where(p => !double.IsNaN(p.Actual) && p.Scale > 0).ToList();
        foreach (var group in usable.GroupBy(p => (p.Series, Block(p.Step))))
        {
            var r = group.Select(Normalized).ToArray();
            if (r.Length >= MinSamples)
            {
                _perSeries[group.Key] = (Quantile(r, lowQ), Quantile(r, highQ));
            }
        }

        foreach (var group in usable.GroupBy(p => Block(p.Step)))
        {
            var r = group.Select(Normalized).ToArray();
            _pooled[group.Key] = (Quantile(r, lowQ), Quantile(r, highQ));
        }
    }

    /// <summary>Restores a calibrator from stored quantiles (a model manifest).</summary>
    public IntervalCalibrator(
        IReadOnlyDictionary<(string Series, int Block), (double Low, double High)> perSeries,
        IReadOnlyDictionary<int, (double Low, double High)> pooled)
    {
        ArgumentNullException.ThrowIfNull(perSeries);
        ArgumentNullException.ThrowIfNull(pooled);
        _perSeries = perSeries.ToDictionary(p => p.Key, p => p.Value);
        _pooled = pooled.ToDictionary(p => p.Key, p => p.Value);
    }

    public bool IsEmpty => _pooled.Count == 0;

    /// <summary>Quantiles per series and block, for the manifest.</summary>
    public IReadOnlyDictionary<(string Series, int Block), (double Low, double High)> PerSeries => _perSeries;

    /// <summary>Low and high residual quantiles (in units of the series scale) per block, for the manifest.</summary>
    public IReadOnlyDictionary<int, (double Low, double High)> Pooled => _pooled;

    public (double P10, double P90) Interval(string series, int step, double forecast, double scale)
    {
        var block = Block(step);
        if (!_perSeries.TryGetValue((series, block), out var q) && !_pooled.TryGetValue(block, out q))
        {
            // A horizon longer than any calibrated one: use the widest block there is.
            if (_pooled.Count == 0)
            {
                return (double.NaN, double.NaN);
            }

            q = _pooled[_pooled.Keys.Max()];
        }

        return (Math.Max(0, forecast + (q.Low * scale)), Math.Max(0, forecast + (q.High * scale)));
    }

    public static int Block(int step) => (step - 1) / BlockHours;

    private static double Normalized(BacktestPoint p) => (p.Actual - p.Forecast) / p.Scale;

    private static double Quantile(double[] values, double q)
    {
        Array.Sort(values);
        var position = q * (values.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, values.Length - 1);
        return values[below] + ((position - below) * (values[above] - values[below]));
    }
}
