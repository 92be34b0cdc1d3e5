using Forecasting.Core.Backtesting;
using Forecasting.Core.Series;
using Forecasting.ML.Calibration;
using Forecasting.ML.Selection;

namespace Forecasting.ML.Validation;

/// <summary>
/// What production would have served at each scored origin of a backtest, from what it would have known then: per
/// series the model best on the earlier origins (or a weighted combination where one beat them), with an interval
/// calibrated on the earlier residuals; roll-ups bottom-up (<see cref="BottomUp"/>), as the predictor serves them.
/// </summary>
public static class ServedOrigins
{
    /// <summary>
    /// Per series and scored fold: the model best on earlier folds, with an interval calibrated on earlier
    /// folds. A roll-up is served as production serves it: the sum of its leaves' served forecasts.
    /// </summary>
    public static ServedPoints Serve(BacktestPoints points, BacktestOptions options, IReadOnlyDictionary<string, IReadOnlyList<string>> rollups)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rollups);
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
            () => choice = ModelChoice.Choose(points, (f, _, _) => LastResolved(f)),
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
                var combined = Combiner.Points(blocks, f => f == foldNumber ? int.MaxValue : 0, combination, ModelScore.Served).ToList();
                if (combined.Count > 0)
                {
                    var first = combined[0];
                    var named = blocks.First(b => b.Origin == first.Origin).Series;
                    foreach (var p in combined)
                    {
                        forecast[p.Step - 1] = p.Forecast;
                    }

                    // Bounded by the recent range as the predictor bounds it (BottomUp), then calibrated around.
                    var ceiling = RecentRange.Ceiling(named.Values.AsSpan(0, first.Origin + 1));
                    forecast = BottomUp.Bound(forecast, ceiling);
                    foreach (var p in combined)
                    {
                        (low[p.Step - 1], high[p.Step - 1]) = combinedCalibrator.Interval(p.Series, p.Step, forecast[p.Step - 1], p.Scale);
                    }

                    BottomUp.Cap(forecast, high, ceiling);
                    served.Add(new ServedBlock(named, foldNumber, first.Origin, first.Scale, Combiner.Model, forecast, low, high));
                }

                continue;
            }

            // A chosen model that failed on this origin gives way to one that did not.
            var model = choice.TryGetValue(leaves[i].Key, out var m) && blocks.Any(b => b.Model == m) ? m : blocks[0].Model;
            var calibrator = calibrators.GetValueOrDefault(model) ?? none;
            var block = blocks.First(b => b.Model == model);
            // Bounded by the recent range as the predictor bounds it (BottomUp), then calibrated around.
            var leafCeiling = RecentRange.Ceiling(block.Series.Values.AsSpan(0, block.Origin + 1));
            var median = BottomUp.Bound(block.Forecast, leafCeiling);
            var (p10, p90) = (new double[horizon], new double[horizon]);
            for (var step = 1; step <= horizon; step++)
            {
                (p10[step - 1], p90[step - 1]) = calibrator.Interval(block.Series.Name, step, median[step - 1], block.Scale);
            }

            BottomUp.Cap(median, p90, leafCeiling);
            // The model's forecast array is shared where the bound left it, not copied: served blocks and model blocks live as long as each other.
            served.Add(new ServedBlock(block.Series, foldNumber, block.Origin, block.Scale, model, median, p10, p90));
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
            var ceiling = RecentRange.Ceiling(block.Series.Values.AsSpan(0, block.Origin + 1));
            var (forecast, low, high) = BottomUp.Serve(rollup, [.. parts.Select(x => x!.Forecast)], horizon, calibrator, block.Scale, ceiling);
            served.Add(new ServedBlock(block.Series, fold, block.Origin, block.Scale, SeriesHierarchy.BottomUp, forecast, low, high));
        }
    }
}
