using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.ML.Calibration;

namespace Forecasting.ML.Models.Ssa;

/// <summary>
/// Singular Spectrum Analysis with recurrent (R-) forecasting. Fit embeds the last
/// <see cref="SsaOptions.TrainingHours"/> hours (gaps filled, optionally log1p) into a K×L
/// trajectory matrix, takes the eigenvectors of the L×L lag-covariance XᵀX, keeps r components and
/// Hankelizes their projection; Predict continues the reconstruction with the linear recurrence
/// those eigenvectors define.
/// </summary>
/// <remarks>
/// Stabilisation: the recurrence's roots can lie outside the unit circle when noise components are
/// kept, and then the forecast grows geometrically. Predict runs the recurrence for at least two
/// windows (or the horizon, if longer) and rejects it if any value is non-finite or strays beyond
/// <see cref="SsaOptions.ExplosionFactor"/> times the history's largest deviation from its mean
/// (widened by 1 + steps/n so a trend may carry on), or, on the log scale, within the horizon above
/// ExplosionFactor^(1 + horizon/n) times the largest hour of the recent range (<see cref="RecentRange.Hours"/>); it then drops the weakest component and
/// retries, down to the level component alone, and if even that fails forecasts the history's
/// mean. Ranks whose verticality ν² reaches 0.99 are skipped the same way. Genuine exponential
/// growth is treated as an explosion too. Forecasts are clamped at zero after the inverse transform.
/// </remarks>
public sealed class SsaForecaster : IForecaster, IRefreshable
{
    /// <summary>Fewer observed hours than this cannot show even one daily cycle, so Fit refuses them.</summary>
    public const int MinimumObservedHours = 24;

    // Near 1 the recurrence's normalising factor 1/(1-ν²) amplifies rounding into nonsense.
    private const double MaxVerticality = 0.99;

    // Eigenvalues this far below the leading one are rounding, not signal, even at share 1.0.
    private const double NumericalZero = 1e-12;

    // The two eigenvalues of one sine wave differ by a few percent at most when L spans several periods.
    private const double PairRatio = 0.9;

    private readonly SsaOptions _options;
    private Fitted? _fitted;

    public SsaForecaster()
        : this(new SsaOptions())
    {
    }

    public SsaForecaster(SsaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WindowLength, 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRank, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TrainingHours, MinimumObservedHours, nameof(options));
        if (!(options.EigenvalueShare > 0 && options.EigenvalueShare <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.EigenvalueShare, "EigenvalueShare must be in (0, 1].");
        }

        if (!(options.MinComponentShare >= 0 && options.MinComponentShare <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MinComponentShare, "MinComponentShare must be in [0, 1].");
        }

        if (!(options.ExplosionFactor >= 1) || double.IsInfinity(options.ExplosionFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ExplosionFactor, "ExplosionFactor must be finite and at least 1.");
        }

        _options = options;
    }

    public string Name => ModelId.Ssa.ToString();

    /// <summary>Window length L used by the last Fit; 0 before Fit.</summary>
    public int WindowLength => _fitted?.Eigenvectors[0].Length ?? 0;

    /// <summary>Components chosen by the last Fit; Predict may use fewer if the recurrence is unstable.</summary>
    public int Rank => _fitted?.Eigenvectors.Length ?? 0;

    /// <summary>Components the last Predict actually used; 0 means it fell back to a flat forecast.</summary>
    public int LastPredictRank { get; private set; }

    public void Fit(ReadOnlySpan<double> history)
    {
        var (series, log, max) = Prepare(history);
        _fitted = Decompose(series, Math.Min(_options.WindowLength, series.Length / 2), log) with { Max = max };
    }

    /// <summary>
    /// This fit's eigenvectors on a later history of the same series: the reconstruction the recurrence continues and the
    /// explosion guard are recomputed from the new history, the eigen-decomposition (the costly part) is not. Null when
    /// the new history does not fit them (another transform, or another window than a fit of it would take).
    /// </summary>
    public IForecaster? Refresh(SeriesHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var fitted = _fitted ?? throw new InvalidOperationException("Call Fit before Refresh.");
        var (series, log, max) = Prepare(history.Values.Span);
        var window = fitted.Eigenvectors[0].Length;
        if (log != fitted.Log || window != Math.Min(_options.WindowLength, series.Length / 2))
        {
            return null;
        }

        var lagged = series.Length - window + 1;
        var tails = fitted.Eigenvectors.Select(u => ReconstructTail(series, u, lagged)).ToArray();
        var (mean, maxDeviation) = Spread(series);
        return new SsaForecaster(_options) { _fitted = new Fitted(fitted.Eigenvectors, tails, mean, maxDeviation, series.Length, log) { Max = max } };
    }

    /// <summary>
    /// The fitted span of a history: the last TrainingHours from the first observed hour, gaps filled, optionally log1p;
    /// with its largest observed value (transformed: a filled hour is not an observation).
    /// </summary>
    private (double[] Series, bool Log, double Max) Prepare(ReadOnlySpan<double> history)
    {
        var recent = history[Math.Max(0, history.Length - _options.TrainingHours)..];
        var first = 0;
        while (first < recent.Length && double.IsNaN(recent[first]))
        {
            first++;
        }

        var observed = 0;
        var nonNegative = true;
        foreach (var value in recent[first..])
        {
            if (double.IsInfinity(value))
            {
                throw new ArgumentException("History contains an infinite value; use NaN for a missing hour.", nameof(history));
            }

            if (!double.IsNaN(value))
            {
                observed++;
                nonNegative &= value >= 0;
            }
        }

        if (observed < MinimumObservedHours)
        {
            throw new ArgumentException(
                $"SSA needs at least {MinimumObservedHours} observed hours in the last {_options.TrainingHours}; got {observed}.",
                nameof(history));
        }

        var log = _options.LogTransform ?? nonNegative;
        if (log && !nonNegative)
        {
            throw new ArgumentException("LogTransform needs a non-negative history.", nameof(history));
        }

        // The ceiling's largest hour is the recent range's (RecentRange.Hours), not the whole window's: a series that
        // collapsed must not be allowed back to the level it left.
        var series = new double[recent.Length - first];
        var max = double.NegativeInfinity;
        var recentFrom = series.Length - RecentRange.Hours;
        for (var t = 0; t < series.Length; t++)
        {
            var value = recent[first + t];
            series[t] = log ? double.LogP1(value) : value;
            max = double.IsNaN(series[t]) || t < recentFrom ? max : Math.Max(max, series[t]);
        }

        // A recent range with no observed hour: the window's largest.
        for (var t = 0; t < series.Length && double.IsNegativeInfinity(max); t++)
        {
            max = double.IsNaN(series[t]) ? max : Math.Max(max, series[t]);
        }

        HourlyGapFiller.Fill(series);
        return (series, log, max);
    }

    public double[] Predict(int horizon)
    {
        var fitted = _fitted ?? throw new InvalidOperationException("Call Fit before Predict.");
        ArgumentOutOfRangeException.ThrowIfNegative(horizon);

        var window = fitted.Eigenvectors[0].Length;
        var steps = Math.Max(horizon, 2 * window);
        var limit = _options.ExplosionFactor * fitted.MaxDeviation * (1 + ((double)steps / fitted.Length));
        // On the log scale a deviation is a ratio, and the limit above allows thousands of times the history's level:
        // there a forecast above ExplosionFactor^(1 + horizon/n) times the recent range's largest hour, within the horizon asked
        // for, is an explosion too (the run past the horizon only checks stability; growth there is not served).
        var ceiling = fitted.Log ? fitted.Max + (Math.Log(_options.ExplosionFactor) * (1 + ((double)horizon / fitted.Length))) : double.PositiveInfinity;
        double[]? path = null;
        var rank = fitted.Eigenvectors.Length;
        for (; rank >= 1 && path is null; rank--)
        {
            path = Recur(fitted, rank, steps, limit, ceiling, horizon);
        }

        LastPredictRank = path is null ? 0 : rank + 1;
        var forecast = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            var value = path?[h] ?? fitted.Mean;
            forecast[h] = Math.Max(0, fitted.Log ? double.ExpM1(value) : value);
        }

        return forecast;
    }

    private Fitted Decompose(double[] series, int window, bool log)
    {
        var n = series.Length;
        var lagged = n - window + 1;
        var covariance = LagCovariance(series, window, lagged);
        var (values, eigenvectors) = SymmetricEigen.Decompose(covariance, window);
        var eigenvalues = values.Select(v => Math.Max(0, v)).ToArray();
        var order = Enumerable.Range(0, window).OrderByDescending(i => eigenvalues[i]).ToArray();
        var rank = SelectRank(order.Select(i => eigenvalues[i]).ToArray(), Math.Min(_options.MaxRank, window - 1));

        var vectors = new double[rank][];
        var tails = new double[rank][];
        for (var c = 0; c < rank; c++)
        {
            vectors[c] = eigenvectors[order[c]];
            tails[c] = ReconstructTail(series, vectors[c], lagged);
        }

        var (mean, maxDeviation) = Spread(series);
        return new Fitted(vectors, tails, mean, maxDeviation, n, log);
    }

    private static (double Mean, double MaxDeviation) Spread(double[] series)
    {
        var mean = series.Average();
        var maxDeviation = series.Max(v => Math.Abs(v - mean));

        // A constant history has zero deviation; leave room for rounding in its exact forecast.
        return (mean, maxDeviation + (1e-9 * (Math.Abs(mean) + 1)));
    }

    /// <summary>
    /// XᵀX for the Hankel trajectory matrix: the first row directly, then each diagonal by the
    /// sliding update C[i+1,j+1] = C[i,j] − x[i]x[j] + x[K+i]x[K+j], which is O(K·L) instead of O(K·L²).
    /// </summary>
    private static double[] LagCovariance(double[] x, int window, int lagged)
    {
        var c = new double[window * window];
        for (var j = 0; j < window; j++)
        {
            var sum = 0.0;
            for (var k = 0; k < lagged; k++)
            {
                sum += x[k] * x[k + j];
            }

            c[j * window] = sum;
            c[j] = sum;
        }

        for (var i = 0; i + 1 < window; i++)
        {
            for (var j = i; j + 1 < window; j++)
            {
                var next = c[(j * window) + i] - (x[i] * x[j]) + (x[lagged + i] * x[lagged + j]);
                c[((j + 1) * window) + i + 1] = next;
                c[((i + 1) * window) + j + 1] = next;
            }
        }

        return c;
    }

    /// <summary>
    /// Keeps the leading (level) component, then whole groups of components until their eigenvalues
    /// reach the configured share of all but the leading one, and past that any group whose first
    /// eigenvalue is at least <see cref="SsaOptions.MinComponentShare"/> of it. A sine wave needs
    /// two components with nearly equal eigenvalues; keeping only one of them turns the wave into a
    /// decaying or growing curve, so a group is such a pair, or else a single component.
    /// </summary>
    private int SelectRank(double[] eigenvalues, int cap)
    {
        var leading = eigenvalues[0];
        if (leading <= 0)
        {
            return 1;
        }

        var rest = eigenvalues.Skip(1).Sum();
        var target = _options.EigenvalueShare * rest;
        var rank = 1;
        var kept = 0.0;
        while (rank < cap && eigenvalues[rank] > NumericalZero * leading
            && (kept < target || eigenvalues[rank] >= _options.MinComponentShare * rest))
        {
            var group = rank + 1 < eigenvalues.Length && eigenvalues[rank + 1] >= PairRatio * eigenvalues[rank] ? 2 : 1;
            if (rank + group > cap)
            {
                break;
            }

            for (var c = rank; c < rank + group; c++)
            {
                kept += eigenvalues[c];
            }

            rank += group;
        }

        return rank;
    }

    /// <summary>
    /// The last L−1 values of one component's Hankelized reconstruction: all the recurrence needs.
    /// Value t averages the anti-diagonal k + j = t of the rank-one matrix (X u) uᵀ.
    /// </summary>
    private static double[] ReconstructTail(double[] x, double[] u, int lagged)
    {
        var window = u.Length;
        var n = x.Length;
        var firstLag = lagged - window + 1;
        var projection = new double[window - 1];
        for (var k = firstLag; k < lagged; k++)
        {
            var sum = 0.0;
            for (var j = 0; j < window; j++)
            {
                sum += x[k + j] * u[j];
            }

            projection[k - firstLag] = sum;
        }

        var tail = new double[window - 1];
        for (var t = n - window + 1; t < n; t++)
        {
            var sum = 0.0;
            for (var k = t - window + 1; k < lagged; k++)
            {
                sum += projection[k - firstLag] * u[t - k];
            }

            tail[t - (n - window + 1)] = sum / (n - t);
        }

        return tail;
    }

    /// <summary>
    /// R-forecast with the first <paramref name="rank"/> components: y_t = Σ R_j y_{t−L+1+j}, where
    /// R = Σ π_i u_i^∇ / (1 − ν²). Null when the recurrence is degenerate or explodes.
    /// </summary>
    private static double[]? Recur(Fitted fitted, int rank, int steps, double limit, double ceiling, int horizon)
    {
        var window = fitted.Eigenvectors[0].Length;
        var verticality = 0.0;
        for (var c = 0; c < rank; c++)
        {
            var pi = fitted.Eigenvectors[c][window - 1];
            verticality += pi * pi;
        }

        if (verticality >= MaxVerticality)
        {
            return null;
        }

        var coefficients = new double[window - 1];
        var buffer = new double[window - 1 + steps];
        for (var c = 0; c < rank; c++)
        {
            var u = fitted.Eigenvectors[c];
            var pi = u[window - 1] / (1 - verticality);
            var tail = fitted.Tails[c];
            for (var j = 0; j < window - 1; j++)
            {
                coefficients[j] += pi * u[j];
                buffer[j] += tail[j];
            }
        }

        for (var s = 0; s < steps; s++)
        {
            var sum = 0.0;
            for (var j = 0; j < window - 1; j++)
            {
                sum += coefficients[j] * buffer[s + j];
            }

            if (!double.IsFinite(sum) || Math.Abs(sum - fitted.Mean) > limit || (s < horizon && sum > ceiling))
            {
                return null;
            }

            buffer[window - 1 + s] = sum;
        }

        return buffer[(window - 1)..];
    }

    private sealed record Fitted(double[][] Eigenvectors, double[][] Tails, double Mean, double MaxDeviation, int Length, bool Log)
    {
        /// <summary>The history's largest value, in the transformed scale.</summary>
        public double Max { get; init; } = double.PositiveInfinity;
    }
}
