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
        : this(Collect(residuals), level)
    {
    }

    private IntervalCalibrator(Residuals residuals, double level)
    {
        var lowQ = (1 - level) / 2;
        var highQ = 1 - lowQ;
        foreach (var (key, values) in residuals.PerSeries)
        {
            if (values.Count >= MinSamples)
            {
                var r = values.ToArray();
                _perSeries[key] = (Quantile(r, lowQ), Quantile(r, highQ));
            }
        }

        foreach (var (block, values) in residuals.Pooled)
        {
            var r = values.ToArray();
            _pooled[block] = (Quantile(r, lowQ), Quantile(r, highQ));
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

    /// <summary>One calibrator per model of the points, from one pass over them (no point is buffered, only its residual).</summary>
    public static Dictionary<string, IntervalCalibrator> PerModel(IEnumerable<BacktestPoint> points, double level)
    {
        ArgumentNullException.ThrowIfNull(points);
        var byModel = new Dictionary<string, Residuals>();
        foreach (var p in points)
        {
            if (!byModel.TryGetValue(p.Model, out var residuals))
            {
                byModel[p.Model] = residuals = new Residuals();
            }

            residuals.Add(p);
        }

        return byModel.ToDictionary(m => m.Key, m => new IntervalCalibrator(m.Value, level));
    }

    private static Residuals Collect(IEnumerable<BacktestPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var residuals = new Residuals();
        foreach (var p in points)
        {
            residuals.Add(p);
        }

        return residuals;
    }

    private static double Quantile(double[] values, double q)
    {
        Array.Sort(values);
        var position = q * (values.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, values.Length - 1);
        return values[below] + ((position - below) * (values[above] - values[below]));
    }

    /// <summary>Scaled residuals per series and block, and per block over all series.</summary>
    private sealed class Residuals
    {
        public Dictionary<(string Series, int Block), List<double>> PerSeries { get; } = [];

        public Dictionary<int, List<double>> Pooled { get; } = [];

        public void Add(BacktestPoint p)
        {
            if (double.IsNaN(p.Actual) || !(p.Scale > 0))
            {
                return;
            }

            var residual = (p.Actual - p.Forecast) / p.Scale;
            var block = Block(p.Step);
            if (!PerSeries.TryGetValue((p.Series, block), out var own))
            {
                PerSeries[(p.Series, block)] = own = [];
            }

            own.Add(residual);
            if (!Pooled.TryGetValue(block, out var all))
            {
                Pooled[block] = all = [];
            }

            all.Add(residual);
        }
    }
}
