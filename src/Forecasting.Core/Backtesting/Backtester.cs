using Forecasting.Core.Forecasting;
using Forecasting.Core.Metrics;
using Forecasting.Core.Series;

namespace Forecasting.Core.Backtesting;

/// <summary>
/// Rolling-origin backtest of several models over many series. At every origin each model is fitted
/// on the history up to it (global models on all series at once) and forecasts the next horizon
/// hours. Per series, the served model at a scored origin is the one with the lowest MAE on the
/// earlier origins, and its interval is calibrated on the earlier origins' residuals.
/// </summary>
public static class Backtester
{
    public const string Served = "served";

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
        for (var fold = 0; fold < totalFolds; fold++)
        {
            // Fold 0 is the earliest origin; origins are counted back from each series' end.
            var back = options.Horizon + ((totalFolds - 1 - fold) * options.Step);
            var active = series.Where(s => s.Values.Length - back >= MinimumHistory(options)).ToList();
            if (active.Count == 0)
            {
                continue;
            }

            var histories = active.Select(s => new SeriesHistory(s.Values.AsMemory(0, s.Values.Length - back), s.Start, s.Name)).ToList();
            foreach (var model in models)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report($"fold {fold + 1}/{totalFolds}: {model.Name}");
                // A series this model cannot fit or forecast is left out of its points, not the whole backtest.
                void Skip(int i, Exception error) => skipped.TryAdd((active[i].Name, model.Name), $"{model.Name}: {error.Message}");
                var fitted = IsolatedFit.FitEach(model, histories, Skip, cancellationToken);
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

        var served = Serve(points, options, rollups ?? new Dictionary<string, IReadOnlyList<string>>());
        var baseline = models.FirstOrDefault(m => m.Name.StartsWith("snaive", StringComparison.Ordinal))?.Name;
        var lookup = series.ToDictionary(s => s.Name);
        var baselineMae = baseline is null
            ? null
            : points.InFolds(f => f >= options.WarmupFolds, baseline).Where(p => !double.IsNaN(p.Actual)).ToDictionary(p => (p.Series, p.Origin, p.Step), p => Math.Abs(p.Actual - p.Forecast));

        // One model at a time, so only its scored points are made at once (then the served forecast).
        var scores = new List<ModelScore>();
        var bySeries = new Dictionary<string, List<ModelScore>>();
        var scoredGroups = models.Select(m => points.InFolds(f => f >= options.WarmupFolds, m.Name)).Append(served);
        foreach (var group in scoredGroups)
        {
            var list = group.ToList();
            scores.AddRange(Score(list, lookup, options, baselineMae));
            foreach (var one in list.GroupBy(p => p.Series))
            {
                if (!bySeries.TryGetValue(one.Key, out var own))
                {
                    bySeries[one.Key] = own = [];
                }

                own.AddRange(Score([.. one], lookup, options, baselineMae));
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
        for (var i = Math.Max(0, history.Length - 168); i < history.Length; i++)
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
        var sums = new Dictionary<(string Series, string Model), (double Sum, int Count)>();
        foreach (var p in points)
        {
            if (double.IsNaN(p.Actual) || p.Model == Served)
            {
                continue;
            }

            var key = (p.Series, p.Model);
            var (sum, count) = sums.GetValueOrDefault(key);
            sums[key] = (sum + (Math.Abs(p.Actual - p.Forecast) / p.Scale), count + 1);
        }

        // First seen wins a tie, as MinBy does in encounter order.
        return sums.Select(e => (e.Key.Series, e.Key.Model, Mae: e.Value.Sum / e.Value.Count))
            .GroupBy(x => x.Series)
            .ToDictionary(g => g.Key, g => g.MinBy(x => x.Mae).Model);
    }

    public static int MinimumHistory(BacktestOptions options) => Math.Max(2 * options.Period, 48);

    /// <summary>
    /// Per series and scored fold: the model best on earlier folds, with an interval calibrated on earlier
    /// folds. A roll-up is served as production serves it: the sum of its leaves' served forecasts.
    /// </summary>
    private static List<BacktestPoint> Serve(BacktestPoints points, BacktestOptions options, IReadOnlyDictionary<string, IReadOnlyList<string>> rollups)
    {
        var served = new List<BacktestPoint>();
        foreach (var foldNumber in points.Folds().Where(f => f >= options.WarmupFolds).ToList())
        {
            var fold = points.InFolds(f => f == foldNumber);
            // Only forecasts whose actual hour is at or before this origin: what production would know then.
            // Streamed twice rather than buffered: at 1,000 series that is up to 12 M points.
            var earlier = points.InFolds(f => f < foldNumber).Where(p => Resolved(p, foldNumber, options));
            var choice = Choose(earlier);
            // One calibrator per model holds every series' quantiles: built once, not once per series.
            var calibrators = IntervalCalibrator.PerModel(earlier, options.IntervalLevel, options.IntervalMethod);
            var none = new IntervalCalibrator([], options.IntervalLevel, options.IntervalMethod);
            var leaves = fold.Where(p => !rollups.ContainsKey(p.Series)).GroupBy(p => p.Series).ToList();

            // Where a weighted combination of a series' best models beat each of them on the earlier origins, it serves;
            // its interval is calibrated on the earlier residuals of the combinations chosen at this origin.
            var combinations = new Dictionary<string, WeightedCombination>();
            var combinedEarlier = new List<BacktestPoint>();
            foreach (var seriesPoints in leaves)
            {
                var own = points.OfSeries(seriesPoints.Key).Where(p => p.Fold < foldNumber && Resolved(p, foldNumber, options)).ToList();
                if (Combiner.Decide(own) is { } combination && combination.Models.All(c => seriesPoints.Any(p => p.Model == c)))
                {
                    combinations[seriesPoints.Key] = combination;
                    combinedEarlier.AddRange(Combiner.Points(own, combination, Combiner.Model));
                }
            }

            var combinedCalibrator = new IntervalCalibrator(combinedEarlier, options.IntervalLevel, options.IntervalMethod);
            foreach (var seriesPoints in leaves)
            {
                if (combinations.TryGetValue(seriesPoints.Key, out var combination))
                {
                    foreach (var p in Combiner.Points(seriesPoints, combination, Served))
                    {
                        var (low, high) = combinedCalibrator.Interval(p.Series, p.Step, p.Forecast, p.Scale);
                        served.Add(p with { P10 = low, P90 = high, ServedBy = Combiner.Model });
                    }

                    continue;
                }

                // A chosen model that failed on this origin gives way to one that did not.
                var model = choice.TryGetValue(seriesPoints.Key, out var m) && seriesPoints.Any(p => p.Model == m) ? m : seriesPoints.First().Model;
                var calibrator = calibrators.GetValueOrDefault(model) ?? none;
                foreach (var p in seriesPoints.Where(p => p.Model == model))
                {
                    var (low, high) = calibrator.Interval(p.Series, p.Step, p.Forecast, p.Scale);
                    served.Add(p with { P10 = low, P90 = high, Model = Served, ServedBy = model });
                }
            }

            ServeRollups(foldNumber, points, served, choice, rollups, options);
        }

        return served;
    }

    private static bool Resolved(BacktestPoint point, int fold, BacktestOptions options) => point.Step <= (fold - point.Fold) * options.Step;

    private static void ServeRollups(int fold, BacktestPoints points, List<BacktestPoint> served, Dictionary<string, string> choice, IReadOnlyDictionary<string, IReadOnlyList<string>> rollups, BacktestOptions options)
    {
        var leafServed = served.Where(p => p.Fold == fold).ToLookup(p => (p.Series, p.Step));
        var servedBySeries = served.ToLookup(p => p.Series);
        foreach (var (rollup, members) in rollups)
        {
            var own = points.OfSeries(rollup).Where(p => p.Fold == fold).ToList();
            if (own.Count == 0)
            {
                continue;
            }

            // Calibrate on earlier bottom-up residuals once there are enough; before that, on the roll-up's own best model.
            // Bottom-up residuals exist only from the scored origins on; the roll-up's own best model stands in before.
            var ownModel = choice.TryGetValue(rollup, out var m) ? m : null;
            var calibrator = new IntervalCalibrator(
                servedBySeries[rollup].Where(p => p.Fold < fold && Resolved(p, fold, options))
                    .Concat(points.OfSeries(rollup).Where(p => p.Fold < fold && p.Model == ownModel && Resolved(p, fold, options))),
                options.IntervalLevel,
                options.IntervalMethod);
            foreach (var p in own.Where(p => p.Model == own[0].Model))
            {
                var parts = members.Select(m => leafServed[(m, p.Step)].FirstOrDefault()).ToList();
                if (parts.Any(x => x is null))
                {
                    continue;
                }

                var sum = parts.Sum(x => x!.Forecast);
                var (low, high) = calibrator.Interval(rollup, p.Step, sum, p.Scale);
                served.Add(p with { Forecast = sum, P10 = Math.Min(low, sum), P90 = Math.Max(high, sum), Model = Served, ServedBy = SeriesHierarchy.BottomUp });
            }
        }
    }

    private static List<ModelScore> Score(List<BacktestPoint> points, Dictionary<string, NamedSeries> lookup, BacktestOptions options, Dictionary<(string Series, int Origin, int Step), double>? baselineMae)
    {
        var scores = new List<ModelScore>();
        foreach (var group in points.Where(p => !double.IsNaN(p.Actual)).GroupBy(p => p.Model))
        {
            var list = group.ToList();
            var actual = list.Select(p => p.Actual).ToArray();
            var forecast = list.Select(p => p.Forecast).ToArray();
            var mase = list.GroupBy(p => (p.Series, p.Origin)).Select(g =>
            {
                var history = lookup[g.Key.Series].Values.AsSpan(0, g.Key.Origin + 1);
                var scale = ForecastMetrics.SeasonalNaiveScale(history, options.Period);
                return g.Average(p => Math.Abs(p.Actual - p.Forecast)) / scale;
            }).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
            var relative = double.NaN;
            if (baselineMae is not null)
            {
                double own = 0, base_ = 0;
                foreach (var p in list)
                {
                    if (baselineMae.TryGetValue((p.Series, p.Origin, p.Step), out var b))
                    {
                        own += Math.Abs(p.Actual - p.Forecast);
                        base_ += b;
                    }
                }

                relative = base_ > 0 ? own / base_ : double.NaN;
            }

            var p10 = list.Select(p => p.P10).ToArray();
            var p90 = list.Select(p => p.P90).ToArray();
            var coverage = ForecastMetrics.Coverage(actual, p10, p90);
            var (peakCoverage, peakAbove) = PeakScores(list);
            scores.Add(new ModelScore(group.Key, ForecastMetrics.Mae(actual, forecast), ForecastMetrics.Smape(actual, forecast), mase, relative, coverage, list.Count)
            {
                PeakCoverage = peakCoverage,
                PeakAboveP90 = peakAbove,
                PinballP10 = ForecastMetrics.Pinball(actual, p10, 0.1),
                PinballP90 = ForecastMetrics.Pinball(actual, p90, 0.9),
            });
        }

        return scores;
    }

    /// <summary>Coverage and share above p90 over the predicted peaks of every series × origin, pooled.</summary>
    private static (double Coverage, double AboveP90) PeakScores(List<BacktestPoint> points)
    {
        int n = 0, inside = 0, above = 0;
        foreach (var forecast in points.GroupBy(p => (p.Series, p.Origin)))
        {
            var hours = forecast.ToArray();
            var peaks = ForecastMetrics.PeakHours([.. hours.Select(p => p.Forecast)]);
            for (var i = 0; i < hours.Length; i++)
            {
                var p = hours[i];
                if (!peaks[i] || double.IsNaN(p.P10) || double.IsNaN(p.P90))
                {
                    continue;
                }

                n++;
                inside += p.Actual >= p.P10 && p.Actual <= p.P90 ? 1 : 0;
                above += p.Actual > p.P90 ? 1 : 0;
            }
        }

        return n == 0 ? (double.NaN, double.NaN) : ((double)inside / n, (double)above / n);
    }

    private static List<ModelScore> Ranked(List<ModelScore> scores) => [.. scores.OrderBy(s => s.Model == Served ? 0 : 1).ThenBy(s => s.RelativeMae)];
}
