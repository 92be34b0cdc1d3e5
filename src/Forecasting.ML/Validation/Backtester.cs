using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Metrics;
using Forecasting.Core.Series;
using Forecasting.ML.Calibration;
using Forecasting.ML.Models;
using Forecasting.ML.Selection;

namespace Forecasting.ML.Validation;

/// <summary>
/// Rolling-origin backtest of several models over many series. At every origin each model is fitted
/// on the history up to it (global models on all series at once) and forecasts the next horizon
/// hours. Per series, the served model at a scored origin is the one with the lowest MAE on the
/// earlier origins, and its interval is calibrated on the earlier origins' residuals.
/// </summary>
public static class Backtester
{
    public static BacktestResult Run(
        IReadOnlyList<NamedSeries> series,
        IReadOnlyList<IForecasterFactory> models,
        BacktestOptions options,
        IProgress<string>? progress,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? rollups = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        options = options.ForHistory(series.Select(s => s.Values.Length).DefaultIfEmpty(0).Max());
        var skipped = new Dictionary<(string Series, string Model), string>();
        var totalFolds = options.Folds + options.WarmupFolds;
        var points = new BacktestPoints(options.Horizon);
        // Each model's refreshable fits of the last origin, by series; refit when RefitHours of origins have passed.
        var earlierFits = new Dictionary<string, Dictionary<string, IForecaster>>();
        int? lastRefit = null;
        var refitHours = options.RefitHoursFor(series.Count);
        for (var fold = 0; fold < totalFolds; fold++)
        {
            // Fold 0 is the earliest origin; origins are counted back from each series' end.
            var back = options.Horizon + ((totalFolds - 1 - fold) * options.Step);
            var active = series.Where(s => s.Values.Length - back >= options.MinimumHistory).ToList();
            if (active.Count == 0)
            {
                continue;
            }

            var histories = active.Select(s => new SeriesHistory(s.Values.AsMemory(0, s.Values.Length - back), s.Start, s.Name)).ToList();
            var refit = lastRefit is not { } last || (fold - last) * options.Step >= refitHours;
            if (refit)
            {
                lastRefit = fold;
            }

            foreach (var model in models)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report($"fold {fold + 1}/{totalFolds}{(refit ? "" : " (no refit)")}: {model.Name}");
                // A series this model cannot fit or forecast is left out of its points, not the whole backtest.
                void Skip(int i, Exception error) => skipped.TryAdd((active[i].Name, model.Name), $"{model.Name}: {error.Message}");
                var earlier = refit ? null : earlierFits.GetValueOrDefault(model.Name);
                var fitted = earlier is null
                    ? IsolatedFit.FitEach(model, histories, Skip, cancellationToken)
                    : IsolatedFit.RefreshEach(model, histories, [.. active.Select(s => earlier.GetValueOrDefault(s.Name))], Skip, cancellationToken);
                earlierFits[model.Name] = active.Select((s, i) => (s.Name, Fit: fitted[i])).Where(x => x.Fit is not null).ToDictionary(x => x.Name, x => x.Fit!);
                var (forecasts, errors) = IsolatedFit.PredictEach(fitted, _ => options.Horizon, cancellationToken);
                for (var i = 0; i < active.Count; i++)
                {
                    var s = active[i];
                    var origin = s.Values.Length - back - 1;
                    if (errors[i] is { } error)
                    {
                        Skip(i, error);
                    }

                    if (forecasts[i] is { } forecast)
                    {
                        points.Add(s, fold, origin, model.Name, Scale(s.Values.AsSpan(0, origin + 1)), forecast);
                    }
                }
            }
        }

        progress?.Report("serving the scored origins");
        var served = Serve(points, options, rollups ?? new Dictionary<string, IReadOnlyList<string>>());
        progress?.Report("scoring");
        var baseline = models.FirstOrDefault(m => ModelId.Parse(m.Name).IsBaseline)?.Name;
        // The baseline's forecast of each scored series and origin: a block lookup, not an entry per hour.
        var baselineBlocks = baseline is null
            ? null
            : points.Blocks.Where(b => b.Fold >= options.WarmupFolds && b.Model == baseline).GroupBy(b => (b.Series.Name, b.Origin)).ToDictionary(g => g.Key, g => g.First());

        // Each model in one pass over its scored blocks (no point is made), pooled and per series; then the served points.
        var scores = new List<ModelScore>();
        var bySeries = new Dictionary<string, List<ModelScore>>();
        var groupScores = new (List<ModelScore> Pooled, List<(string Series, List<ModelScore> Scores)> PerSeries)[models.Count + 1];
        Parallel.For(0, models.Count + 1, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, g =>
        {
            if (g < models.Count)
            {
                groupScores[g] = ScoreBlocks(models[g].Name, points.Blocks.Where(b => b.Fold >= options.WarmupFolds && b.Model == models[g].Name), options, baselineBlocks);
                return;
            }

            groupScores[g] = ScoreServed(served.Blocks, options, baselineBlocks);
        });
        foreach (var (pooled, perSeries) in groupScores)
        {
            scores.AddRange(pooled);
            foreach (var (key, own) in perSeries)
            {
                if (!bySeries.TryGetValue(key, out var list))
                {
                    bySeries[key] = list = [];
                }

                list.AddRange(own);
            }
        }

        return new BacktestResult(
            options,
            points,
            served,
            Ranked(scores),
            bySeries.ToDictionary(e => e.Key, e => (IReadOnlyList<ModelScore>)Ranked(e.Value)))
        {
            Skipped = [.. skipped.Select(e => new SkippedSeries(e.Key.Series, e.Value))],
        };
    }

    /// <summary>Level of a history: mean of its last week's observed values (never zero for a live series).</summary>
    public static double Scale(ReadOnlySpan<double> history)
    {
        double sum = 0;
        var n = 0;
        for (var i = Math.Max(0, history.Length - Horizon.HoursPerWeek); i < history.Length; i++)
        {
            if (!double.IsNaN(history[i]))
            {
                sum += Math.Abs(history[i]);
                n++;
            }
        }

        return n == 0 || sum == 0 ? 1 : sum / n;
    }

    /// <summary>Per series, the model with the lowest scaled MAE over the given points.</summary>
    /// <remarks>One pass with a running sum per series and model: nothing is buffered (millions of points at 1,000 series).</remarks>
    public static Dictionary<string, string> Choose(IEnumerable<BacktestPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var errors = new ModelErrors();
        foreach (var p in points)
        {
            if (p.Model != ModelScore.Served)
            {
                errors.Add(p.Series, p.Model, p.Actual, p.Forecast, p.Scale);
            }
        }

        return errors.Best();
    }

    /// <summary>
    /// <see cref="Choose(IEnumerable{BacktestPoint})"/> over each block's hours up to <paramref name="lastStep"/>(fold, series,
    /// model), read in place (<see cref="BacktestPoints.ForEachHour"/>).
    /// </summary>
    public static Dictionary<string, string> Choose(BacktestPoints points, Func<int, string, string, int> lastStep)
    {
        ArgumentNullException.ThrowIfNull(points);
        var errors = new ModelErrors();
        points.ForEachHour(lastStep, (series, model, _, actual, forecast, scale) => errors.Add(series, model, actual, forecast, scale));
        return errors.Best();
    }

    /// <summary>
    /// Per series and scored fold: the model best on earlier folds, with an interval calibrated on earlier
    /// folds. A roll-up is served as production serves it: the sum of its leaves' served forecasts.
    /// </summary>
    private static ServedPoints Serve(BacktestPoints points, BacktestOptions options, IReadOnlyDictionary<string, IReadOnlyList<string>> rollups)
    {
        // One scored origin at a time (its calibrators hold every earlier residual: two at once would double the peak),
        // the work inside each spread over the cores; roll-ups after their leaves, in origin order.
        var served = new ServedPoints(points.Horizon);
        foreach (var fold in points.Folds().Where(f => f >= options.WarmupFolds).ToList())
        {
            var (leaves, choice) = ServeLeaves(points, fold, options, rollups);
            foreach (var block in leaves)
            {
                served.Add(block);
            }

            ServeRollups(fold, points, served, leaves, choice, rollups, options);
        }

        return served;
    }

    private static (List<ServedBlock> Served, Dictionary<string, string> Choice) ServeLeaves(BacktestPoints points, int foldNumber, BacktestOptions options, IReadOnlyDictionary<string, IReadOnlyList<string>> rollups)
    {
        var served = new List<ServedBlock>();
        // Only forecasts whose actual hour is at or before this origin: what production would know then.
        // Read in place, without making a point of each of their hours (up to 12 M at 1,000 series).
        int LastResolved(int f) => f < foldNumber ? (foldNumber - f) * options.Step : 0;
        // One calibrator per model holds every series' quantiles: built once, not once per series; beside the choice.
        Dictionary<string, string> choice = [];
        Dictionary<string, IntervalCalibrator> calibrators = [];
        Parallel.Invoke(
            () => choice = Choose(points, (f, _, _) => LastResolved(f)),
            () => calibrators = IntervalCalibrator.PerModel(points, (f, _, _) => LastResolved(f), [], options.IntervalLevel, options.IntervalMethod));
        var none = new IntervalCalibrator([], options.IntervalLevel, options.IntervalMethod);
        // This origin's forecasts by series, in the order the series first appear: blocks, not their million points.
        var leaves = points.Blocks.Where(b => b.Fold == foldNumber && !rollups.ContainsKey(b.Series.Name)).GroupBy(b => b.Series.Name).ToList();

        // Where a weighted combination of a series' best models beat each of them on the earlier origins, it serves;
        // its interval is calibrated on the earlier residuals of the combinations chosen at this origin.
        // Decided per series in parallel, each into its own slot.
        var decided = new WeightedCombination?[leaves.Count];
        Parallel.For(0, leaves.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            if (Combiner.Decide(points.BlocksOf(leaves[i].Key), LastResolved) is { } combination && combination.Models.All(c => leaves[i].Any(b => b.Model == c)))
            {
                decided[i] = combination;
            }
        });

        // The combinations' earlier points are made again as the calibrator reads them, not kept.
        var combinedCalibrator = new IntervalCalibrator(
            Enumerable.Range(0, leaves.Count).Where(i => decided[i] is not null).SelectMany(i => Combiner.Points(points.BlocksOf(leaves[i].Key), LastResolved, decided[i]!, Combiner.Model)),
            options.IntervalLevel,
            options.IntervalMethod);
        var horizon = points.Horizon;
        for (var i = 0; i < leaves.Count; i++)
        {
            var blocks = leaves[i].ToList();
            if (decided[i] is { } combination)
            {
                var (forecast, low, high) = (new double[horizon], new double[horizon], new double[horizon]);
                BacktestPoint? first = null;
                foreach (var p in Combiner.Points(blocks, f => f == foldNumber ? int.MaxValue : 0, combination, ModelScore.Served))
                {
                    first ??= p;
                    forecast[p.Step - 1] = p.Forecast;
                    (low[p.Step - 1], high[p.Step - 1]) = combinedCalibrator.Interval(p.Series, p.Step, p.Forecast, p.Scale);
                }

                if (first is not null)
                {
                    var named = blocks.First(b => b.Origin == first.Origin).Series;
                    served.Add(new ServedBlock(named, foldNumber, first.Origin, first.Scale, Combiner.Model, forecast, low, high));
                }

                continue;
            }

            // A chosen model that failed on this origin gives way to one that did not.
            var model = choice.TryGetValue(leaves[i].Key, out var m) && blocks.Any(b => b.Model == m) ? m : blocks[0].Model;
            var calibrator = calibrators.GetValueOrDefault(model) ?? none;
            var block = blocks.First(b => b.Model == model);
            var (p10, p90) = (new double[horizon], new double[horizon]);
            for (var step = 1; step <= horizon; step++)
            {
                (p10[step - 1], p90[step - 1]) = calibrator.Interval(block.Series.Name, step, block.Forecast[step - 1], block.Scale);
            }

            // The model's forecast array is shared, not copied: served blocks and model blocks live as long as each other.
            served.Add(new ServedBlock(block.Series, foldNumber, block.Origin, block.Scale, model, block.Forecast, p10, p90));
        }

        return (served, choice);
    }

    private static bool Resolved(BacktestPoint point, int fold, BacktestOptions options) => point.Step <= (fold - point.Fold) * options.Step;

    private static void ServeRollups(int fold, BacktestPoints points, ServedPoints served, List<ServedBlock> leaves, Dictionary<string, string> choice, IReadOnlyDictionary<string, IReadOnlyList<string>> rollups, BacktestOptions options)
    {
        if (rollups.Count == 0)
        {
            return;
        }

        var leafServed = leaves.ToDictionary(b => b.Series.Name);
        var servedBySeries = served.Blocks.Where(b => rollups.ContainsKey(b.Series.Name)).ToLookup(b => b.Series.Name);
        var horizon = points.Horizon;
        foreach (var (rollup, members) in rollups)
        {
            var own = points.BlocksOf(rollup).Where(b => b.Fold == fold).ToList();
            if (own.Count == 0)
            {
                continue;
            }

            // Calibrate on earlier bottom-up residuals once there are enough; before that, on the roll-up's own best model.
            // Bottom-up residuals exist only from the scored origins on; the roll-up's own best model stands in before.
            var ownModel = choice.TryGetValue(rollup, out var m) ? m : null;
            var calibrator = new IntervalCalibrator(
                servedBySeries[rollup].Where(b => b.Fold < fold).SelectMany(served.PointsOf).Where(p => Resolved(p, fold, options))
                    .Concat(points.OfSeries(rollup).Where(p => p.Fold < fold && p.Model == ownModel && Resolved(p, fold, options))),
                options.IntervalLevel,
                options.IntervalMethod);

            // The sum of the members' served forecasts at this origin; a member not served here leaves the roll-up out.
            var parts = members.Select(leafServed.GetValueOrDefault).ToList();
            if (parts.Any(x => x is null))
            {
                continue;
            }

            var block = own[0];
            var (forecast, low, high) = (new double[horizon], new double[horizon], new double[horizon]);
            for (var step = 1; step <= horizon; step++)
            {
                var sum = parts.Sum(x => x!.Forecast[step - 1]);
                var (p10, p90) = calibrator.Interval(rollup, step, sum, block.Scale);
                (forecast[step - 1], low[step - 1], high[step - 1]) = (sum, Math.Min(p10, sum), Math.Max(p90, sum));
            }

            served.Add(new ServedBlock(block.Series, fold, block.Origin, block.Scale, SeriesHierarchy.BottomUp, forecast, low, high));
        }
    }

    /// <summary>The served forecast's scores, pooled and per series, with its interval's (<see cref="ScoreHours"/>).</summary>
    private static (List<ModelScore> Pooled, List<(string Series, List<ModelScore> Scores)> PerSeries) ScoreServed(
        IEnumerable<ServedBlock> blocks, BacktestOptions options, Dictionary<(string Series, int Origin), BacktestBlock>? baselineBlocks) =>
        ScoreHours(ModelScore.Served, blocks.Select(b => new ScoredBlock(b.Series, b.Origin, b.Forecast, b.P10, b.P90)), options, baselineBlocks);

    /// <summary>One model's scores over its scored blocks, pooled and per series (models have no interval).</summary>
    private static (List<ModelScore> Pooled, List<(string Series, List<ModelScore> Scores)> PerSeries) ScoreBlocks(
        string model, IEnumerable<BacktestBlock> blocks, BacktestOptions options, Dictionary<(string Series, int Origin), BacktestBlock>? baselineBlocks) =>
        ScoreHours(model, blocks.Select(b => new ScoredBlock(b.Series, b.Origin, b.Forecast, null, null)), options, baselineBlocks);

    /// <summary>
    /// Scores, pooled and per series, in one pass over forecast blocks (one series × origin each) that makes no point: MAE,
    /// sMAPE, MASE (per block, averaged) and MAE relative to the baseline's block over the observed hours; with an interval,
    /// its coverage and pinball losses over every observed hour and over each block's predicted peaks (its observed hours
    /// with the highest p50, <see cref="ForecastMetrics.PeakHours"/>). A series with no observed hour is listed without a score.
    /// </summary>
    private static (List<ModelScore> Pooled, List<(string Series, List<ModelScore> Scores)> PerSeries) ScoreHours(
        string model, IEnumerable<ScoredBlock> blocks, BacktestOptions options, Dictionary<(string Series, int Origin), BacktestBlock>? baselineBlocks)
    {
        var pooled = new ScoreSums();
        var perSeries = new Dictionary<string, ScoreSums>();
        var observed = new List<int>();
        var withInterval = false;
        foreach (var block in blocks)
        {
            var name = block.Series.Name;
            if (!perSeries.TryGetValue(name, out var own))
            {
                perSeries[name] = own = new ScoreSums();
            }

            var baselineBlock = baselineBlocks?.GetValueOrDefault((name, block.Origin));
            double groupSum = 0;
            observed.Clear();
            for (var step = 1; step <= block.Forecast.Length; step++)
            {
                var actual = block.Series.Values[block.Origin + step];
                if (double.IsNaN(actual))
                {
                    continue;
                }

                var forecast = block.Forecast[step - 1];
                var baselineError = baselineBlock is null ? double.NaN : Math.Abs(actual - baselineBlock.Forecast[step - 1]);
                pooled.Add(actual, forecast, baselineError);
                own.Add(actual, forecast, baselineError);
                if (block is { P10: { } low, P90: { } high })
                {
                    withInterval = true;
                    pooled.AddInterval(actual, low[step - 1], high[step - 1]);
                    own.AddInterval(actual, low[step - 1], high[step - 1]);
                }

                groupSum += Math.Abs(actual - forecast);
                observed.Add(step);
            }

            if (observed.Count == 0)
            {
                continue;
            }

            var scale = ForecastMetrics.SeasonalNaiveScale(block.Series.Values.AsSpan(0, block.Origin + 1), options.Period);
            var mase = groupSum / observed.Count / scale;
            pooled.AddGroup(mase);
            own.AddGroup(mase);
            if (block is { P10: { } p10, P90: { } p90 })
            {
                var peaks = ForecastMetrics.PeakHours([.. observed.Select(step => block.Forecast[step - 1])]);
                for (var i = 0; i < observed.Count; i++)
                {
                    if (peaks[i])
                    {
                        var step = observed[i];
                        var actual = block.Series.Values[block.Origin + step];
                        pooled.AddPeak(actual, p10[step - 1], p90[step - 1]);
                        own.AddPeak(actual, p10[step - 1], p90[step - 1]);
                    }
                }
            }
        }

        var hasBaseline = baselineBlocks is not null;
        return (
            pooled.Count == 0 ? [] : [pooled.Score(model, hasBaseline, withInterval)],
            // A series with no observed scored hour has no score, but is listed, as before.
            [.. perSeries.Select(e => (e.Key, e.Value.Count == 0 ? new List<ModelScore>() : [e.Value.Score(model, hasBaseline, withInterval)]))]);
    }

    /// <summary>A block of forecast hours as <see cref="ScoreHours"/> reads it: an interval only for the served forecast.</summary>
    private readonly record struct ScoredBlock(NamedSeries Series, int Origin, double[] Forecast, double[]? P10, double[]? P90);

    /// <summary>Running sums of the scores' measures: accuracy over hours, and, for the served forecast, its interval.</summary>
    private sealed class ScoreSums
    {
        private double _absolute;
        private double _smape;
        private double _own;
        private double _base;
        private double _mase;
        private int _groups;
        private int _intervals;
        private int _inside;
        private double _pinball10;
        private int _p10s;
        private double _pinball90;
        private int _p90s;
        private int _peaks;
        private int _peaksInside;
        private int _peaksAbove;

        public int Count { get; private set; }

        public void Add(double actual, double forecast, double baselineError)
        {
            var error = Math.Abs(actual - forecast);
            _absolute += error;
            var denominator = Math.Abs(actual) + Math.Abs(forecast);
            _smape += denominator == 0 ? 0 : 200 * error / denominator;
            if (!double.IsNaN(baselineError))
            {
                _own += error;
                _base += baselineError;
            }

            Count++;
        }

        /// <summary>An observed hour's interval: coverage (both bounds known) and each bound's pinball loss (as <see cref="ForecastMetrics"/>).</summary>
        public void AddInterval(double actual, double p10, double p90)
        {
            if (!double.IsNaN(p10) && !double.IsNaN(p90))
            {
                _intervals++;
                _inside += actual >= p10 && actual <= p90 ? 1 : 0;
            }

            if (!double.IsNaN(p10))
            {
                _pinball10 += Pinball(actual - p10, 0.1);
                _p10s++;
            }

            if (!double.IsNaN(p90))
            {
                _pinball90 += Pinball(actual - p90, 0.9);
                _p90s++;
            }
        }

        /// <summary>A predicted peak hour's interval.</summary>
        public void AddPeak(double actual, double p10, double p90)
        {
            if (double.IsNaN(p10) || double.IsNaN(p90))
            {
                return;
            }

            _peaks++;
            _peaksInside += actual >= p10 && actual <= p90 ? 1 : 0;
            _peaksAbove += actual > p90 ? 1 : 0;
        }

        public void AddGroup(double mase)
        {
            if (double.IsFinite(mase))
            {
                _mase += mase;
                _groups++;
            }
        }

        public ModelScore Score(string model, bool hasBaseline, bool withInterval = false) =>
            new(model, _absolute / Count, _smape / Count, _groups == 0 ? double.NaN : _mase / _groups, hasBaseline && _base > 0 ? _own / _base : double.NaN, withInterval && _intervals > 0 ? (double)_inside / _intervals : double.NaN, Count)
            {
                PeakCoverage = withInterval && _peaks > 0 ? (double)_peaksInside / _peaks : double.NaN,
                PeakAboveP90 = withInterval && _peaks > 0 ? (double)_peaksAbove / _peaks : double.NaN,
                PinballP10 = withInterval && _p10s > 0 ? _pinball10 / _p10s : double.NaN,
                PinballP90 = withInterval && _p90s > 0 ? _pinball90 / _p90s : double.NaN,
            };

        private static double Pinball(double error, double tau) => error >= 0 ? tau * error : (tau - 1) * error;
    }

    private static List<ModelScore> Ranked(List<ModelScore> scores) => [.. scores.OrderBy(s => s.Model == ModelScore.Served ? 0 : 1).ThenBy(s => s.RelativeMae)];

    /// <summary>Running sums of scaled absolute errors per series and model; hours come in runs of one series and model.</summary>
    private sealed class ModelErrors
    {
        private readonly Dictionary<(string Series, string Model), (double Sum, int Count)> _sums = [];
        private (string Series, string Model)? _current;
        private double _runSum;
        private int _runCount;

        public void Add(string series, string model, double actual, double forecast, double scale)
        {
            if (double.IsNaN(actual))
            {
                return;
            }

            if (_current is not { } key || !ReferenceEquals(key.Series, series) || !ReferenceEquals(key.Model, model))
            {
                Flush();
                _current = (series, model);
                // Registered at its first hour so the first seen keeps winning ties.
                _sums.TryAdd(_current.Value, (0, 0));
            }

            _runSum += Math.Abs(actual - forecast) / scale;
            _runCount++;
        }

        /// <summary>Per series, the model with the lowest mean; the first seen wins a tie, as MinBy does in encounter order.</summary>
        public Dictionary<string, string> Best()
        {
            Flush();
            return _sums.Where(e => e.Value.Count > 0)
                .Select(e => (e.Key.Series, e.Key.Model, Mae: e.Value.Sum / e.Value.Count))
                .GroupBy(x => x.Series)
                .ToDictionary(g => g.Key, g => g.MinBy(x => x.Mae).Model);
        }

        private void Flush()
        {
            if (_current is { } key && _runCount > 0)
            {
                var (sum, count) = _sums[key];
                _sums[key] = (sum + _runSum, count + _runCount);
            }

            _runSum = 0;
            _runCount = 0;
        }
    }
}
