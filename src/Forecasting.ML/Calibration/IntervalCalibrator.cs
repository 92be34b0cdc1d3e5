using System.Runtime.InteropServices;
using Forecasting.Core.Backtesting;
using Forecasting.ML.Validation;

namespace Forecasting.ML.Calibration;

/// <summary>
/// Conformal prediction intervals: quantiles of past backtest residuals kept per block of 24 horizon
/// steps (errors grow with the horizon). Residuals of the series itself are used when there are
/// enough, else those of all series together. With <see cref="IntervalMethod.LogRatio"/> (the default)
/// a residual is the log of actual over forecast, so the interval is relative to the forecast of each
/// hour: as wide in proportion at the peak as at night; <see cref="IntervalMethod.LevelScaled"/>
/// (older manifests) divides the error by the series level, one width for every hour.
/// </summary>
public sealed class IntervalCalibrator
{
    public const int BlockHours = 24;
    private const int MinSamples = 48;

    /// <summary>
    /// The offset of <see cref="IntervalMethod.LogRatio"/>, as a share of the series level: keeps the log finite
    /// for hours at zero and stops near-zero night forecasts from giving huge ratios.
    /// </summary>
    public const double LogOffset = 0.01;

    private readonly Dictionary<(string Series, int Block), (double Low, double High)> _perSeries = [];
    private readonly Dictionary<int, (double Low, double High)> _pooled = [];

    public IntervalCalibrator(IEnumerable<BacktestPoint> residuals, double level, IntervalMethod method = IntervalMethod.LogRatio)
        : this(Collect(residuals, method), level, method)
    {
    }

    private IntervalCalibrator(Residuals residuals, double level, IntervalMethod method)
    {
        Method = method;
        var lowQ = (1 - level) / 2;
        var highQ = 1 - lowQ;
        foreach (var (key, values) in residuals.PerSeries)
        {
            if (values.Count >= MinSamples)
            {
                // Selected in place: the lists are this calibrator's own, and at 1,000 series copies would double them.
                var r = CollectionsMarshal.AsSpan(values);
                _perSeries[key] = (SelectQuantile(r, lowQ), SelectQuantile(r, highQ));
            }
        }

        // Pooled, a block at a time: every series' residuals of the block gathered into one array, then let go. The series'
        // lists are the only copy kept while collecting (a second, pooled one would double the peak at 10,000 series).
        foreach (var block in residuals.PerSeries.GroupBy(e => e.Key.Block))
        {
            var all = new double[block.Sum(e => e.Value.Count)];
            var at = 0;
            foreach (var (_, values) in block)
            {
                CollectionsMarshal.AsSpan(values).CopyTo(all.AsSpan(at));
                at += values.Count;
            }

            _pooled[block.Key] = (SelectQuantile(all, lowQ), SelectQuantile(all, highQ));
        }
    }

    /// <summary>Restores a calibrator from stored quantiles (a model manifest).</summary>
    public IntervalCalibrator(
        IReadOnlyDictionary<(string Series, int Block), (double Low, double High)> perSeries,
        IReadOnlyDictionary<int, (double Low, double High)> pooled,
        IntervalMethod method)
    {
        ArgumentNullException.ThrowIfNull(perSeries);
        Method = method;
        ArgumentNullException.ThrowIfNull(pooled);
        _perSeries = perSeries.ToDictionary(p => p.Key, p => p.Value);
        _pooled = pooled.ToDictionary(p => p.Key, p => p.Value);
    }

    public IntervalMethod Method { get; }

    public bool IsEmpty => _pooled.Count == 0;

    /// <summary>Quantiles per series and block, for the manifest.</summary>
    public IReadOnlyDictionary<(string Series, int Block), (double Low, double High)> PerSeries => _perSeries;

    /// <summary>Low and high residual quantiles (in the unit of <see cref="Method"/>) per block, for the manifest.</summary>
    public IReadOnlyDictionary<int, (double Low, double High)> Pooled => _pooled;

    /// <summary>
    /// The interval at the level this calibrator was built for (0.8 for the served p10/p90; the M4 benchmark builds
    /// one at 0.95 from the same residuals): its low and high bound around <paramref name="forecast"/>.
    /// </summary>
    public (double Low, double High) Interval(string series, int step, double forecast, double scale)
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

        if (Method == IntervalMethod.LevelScaled)
        {
            return (Math.Max(0, forecast + (q.Low * scale)), Math.Max(0, forecast + (q.High * scale)));
        }

        var offset = Offset(scale);
        var shifted = Math.Max(0, forecast) + offset;
        return (Math.Max(0, (shifted * Math.Exp(q.Low)) - offset), Math.Max(0, (shifted * Math.Exp(q.High)) - offset));
    }

    /// <summary>The residual of one forecast hour in the unit of <paramref name="method"/>; NaN when it has none.</summary>
    public static double Residual(double actual, double forecast, double scale, IntervalMethod method)
    {
        if (double.IsNaN(actual) || !(scale > 0))
        {
            return double.NaN;
        }

        if (method == IntervalMethod.LevelScaled)
        {
            return (actual - forecast) / scale;
        }

        var offset = Offset(scale);
        return Math.Log((Math.Max(0, actual) + offset) / (Math.Max(0, forecast) + offset));
    }

    private static double Offset(double scale) => LogOffset * (scale > 0 ? scale : 1);

    public static int Block(int step) => (step - 1) / BlockHours;

    /// <summary>One calibrator per model of the points, from one pass over them (no point is buffered, only its residual).</summary>
    public static Dictionary<string, IntervalCalibrator> PerModel(IEnumerable<BacktestPoint> points, double level, IntervalMethod method = IntervalMethod.LogRatio)
    {
        ArgumentNullException.ThrowIfNull(points);
        var byModel = new ResidualsByModel(method);
        foreach (var p in points)
        {
            byModel.Add(p.Series, p.Model, p.Step, p.Actual, p.Forecast, p.Scale);
        }

        return byModel.Calibrators(level);
    }

    /// <summary>
    /// <see cref="PerModel(IEnumerable{BacktestPoint}, double, IntervalMethod)"/> over each block's hours up to
    /// <paramref name="lastStep"/>(fold, series, model), read in place (no point is made), then the <paramref name="more"/> points.
    /// </summary>
    public static Dictionary<string, IntervalCalibrator> PerModel(BacktestPoints points, Func<int, string, string, int> lastStep, IEnumerable<BacktestPoint> more, double level, IntervalMethod method = IntervalMethod.LogRatio)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(more);
        var byModel = new ResidualsByModel(method);
        // Counted first, so that every residual list is made at its size: grown by doubling they held up to twice their
        // residuals (about 1 GB of slack at 10,000 series).
        points.ForEachHour(lastStep, byModel.Count);
        points.ForEachHour(lastStep, byModel.Add);
        foreach (var p in more)
        {
            byModel.Add(p.Series, p.Model, p.Step, p.Actual, p.Forecast, p.Scale);
        }

        return byModel.Calibrators(level);
    }

    /// <summary>One calibrator of each block's hours up to <paramref name="lastStep"/>(fold, series, model), read in place, then the <paramref name="more"/> points.</summary>
    public static IntervalCalibrator Of(BacktestPoints points, Func<int, string, string, int> lastStep, IEnumerable<BacktestPoint> more, double level, IntervalMethod method = IntervalMethod.LogRatio)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(more);
        var residuals = new Residuals(method);
        points.ForEachHour(lastStep, (series, _, step, actual, forecast, scale) => residuals.Count(series, step, actual, forecast, scale));
        points.ForEachHour(lastStep, (series, _, step, actual, forecast, scale) => residuals.Add(series, step, actual, forecast, scale));
        foreach (var p in more)
        {
            residuals.Add(p);
        }

        return new IntervalCalibrator(residuals, level, method);
    }

    private static Residuals Collect(IEnumerable<BacktestPoint> points, IntervalMethod method)
    {
        ArgumentNullException.ThrowIfNull(points);
        var residuals = new Residuals(method);
        foreach (var p in points)
        {
            residuals.Add(p);
        }

        return residuals;
    }

    /// <summary>
    /// The q-quantile of the values as if sorted (interpolated between the two nearest order statistics), found by
    /// selection (linear time), reordering them in place: the same two order statistics, so the same quantile, without
    /// sorting millions of pooled residuals.
    /// </summary>
    internal static double SelectQuantile(Span<double> values, double q)
    {
        var position = q * (values.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, values.Length - 1);
        var low = Select(values, below);
        if (above == below)
        {
            return low;
        }

        // After the selection nothing right of it is smaller: the next order statistic is their minimum.
        var high = double.PositiveInfinity;
        foreach (var value in values[above..])
        {
            high = Math.Min(high, value);
        }

        return low + ((position - below) * (high - low));
    }

    /// <summary>The k-th smallest value (0-based), by Hoare's selection with a median-of-three pivot; values reordered so none right of k is smaller.</summary>
    private static double Select(Span<double> values, int k)
    {
        int left = 0, right = values.Length - 1;
        while (right > left)
        {
            var middle = left + ((right - left) / 2);
            if (values[middle] < values[left])
            {
                (values[middle], values[left]) = (values[left], values[middle]);
            }

            if (values[right] < values[left])
            {
                (values[right], values[left]) = (values[left], values[right]);
            }

            if (values[right] < values[middle])
            {
                (values[right], values[middle]) = (values[middle], values[right]);
            }

            var pivot = values[middle];
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }

    /// <summary>Scaled residuals per series and block (pooled per block when quantiles are taken).</summary>
    private sealed class Residuals(IntervalMethod method)
    {
        private string? _series;
        private int _block;
        private List<double>? _own;
        private Dictionary<(string Series, int Block), int>? _sizes;
        private string? _countedSeries;
        private int _countedBlock = -1;
        private int _counted;

        public Dictionary<(string Series, int Block), List<double>> PerSeries { get; } = [];

        /// <summary>Counts an hour <see cref="Add"/> will be given (before any is added), so that its list is made at its size.</summary>
        public void Count(string series, int step, double actual, double forecast, double scale)
        {
            if (double.IsNaN(actual) || double.IsNaN(forecast) || !(scale > 0))
            {
                return;
            }

            var block = Block(step);
            if (!ReferenceEquals(series, _countedSeries) || block != _countedBlock)
            {
                Flush();
                (_countedSeries, _countedBlock) = (series, block);
            }

            _counted++;
        }

        private void Flush()
        {
            if (_counted > 0)
            {
                _sizes ??= [];
                var key = (_countedSeries!, _countedBlock);
                _sizes[key] = _sizes.GetValueOrDefault(key) + _counted;
                _counted = 0;
            }
        }

        public void Add(BacktestPoint p) => Add(p.Series, p.Step, p.Actual, p.Forecast, p.Scale);

        public void Add(string series, int step, double actual, double forecast, double scale)
        {
            var residual = Residual(actual, forecast, scale, method);
            if (double.IsNaN(residual))
            {
                return;
            }

            var block = Block(step);
            // Points come in runs of one series' consecutive hours: the list of the last block is kept at hand.
            if (!ReferenceEquals(series, _series) || block != _block)
            {
                if (!PerSeries.TryGetValue((series, block), out var own))
                {
                    Flush();
                    PerSeries[(series, block)] = own = new List<double>(_sizes?.GetValueOrDefault((series, block)) ?? 0);
                }

                (_series, _block, _own) = (series, block, own);
            }

            _own!.Add(residual);
        }
    }

    /// <summary>Residuals per model; hours come in runs of one model, so the last model's residuals are kept at hand.</summary>
    private sealed class ResidualsByModel(IntervalMethod method)
    {
        private readonly Dictionary<string, Residuals> _byModel = [];
        private string? _model;
        private Residuals? _current;

        public void Add(string series, string model, int step, double actual, double forecast, double scale) => Of(model).Add(series, step, actual, forecast, scale);

        public void Count(string series, string model, int step, double actual, double forecast, double scale) => Of(model).Count(series, step, actual, forecast, scale);

        private Residuals Of(string model)
        {
            if (!ReferenceEquals(model, _model))
            {
                if (!_byModel.TryGetValue(model, out _current))
                {
                    _byModel[model] = _current = new Residuals(method);
                }

                _model = model;
            }

            return _current!;
        }

        public Dictionary<string, IntervalCalibrator> Calibrators(double level) =>
            _byModel.ToDictionary(m => m.Key, m => new IntervalCalibrator(m.Value, level, method));
    }
}
