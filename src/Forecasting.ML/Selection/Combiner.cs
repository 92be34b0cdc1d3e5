using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.ML.Validation;

namespace Forecasting.ML.Selection;

/// <summary>
/// Decides, per series, whether a weighted combination of its best models beats its best single model on
/// backtest forecasts (only the ones given: at a scored origin, those resolved by then), so the served forecast
/// is a combination only where the earlier origins say it helps.
/// </summary>
public static class Combiner
{
    /// <summary>What a served point made by a combination names as its model.</summary>
    public static readonly string Model = ModelId.CombinationLabel.ToString();

    /// <summary>
    /// The combination of one series' best models when its scaled MAE on the given points is lower than every
    /// single model's; null otherwise (the best single model serves). Errors are compared on the hours every model forecast.
    /// </summary>
    public static WeightedCombination? Decide(IEnumerable<BacktestPoint> seriesPoints) => Decide(Hours(seriesPoints, out var models), models);

    /// <summary>
    /// <see cref="Decide(IEnumerable{BacktestPoint})"/> over one series' blocks, each read in place up to
    /// <paramref name="lastStep"/>(fold) hours (0 leaves the block out): the same decision, without making a point of each hour.
    /// </summary>
    public static WeightedCombination? Decide(IReadOnlyList<BacktestBlock> seriesBlocks, Func<int, int> lastStep)
    {
        var folds = Folds(seriesBlocks, lastStep, valid: true);
        var index = new Dictionary<string, int>();
        foreach (var (_, _, models) in folds)
        {
            foreach (var model in models.Keys)
            {
                index.TryAdd(model, index.Count);
            }
        }

        var names = index.Keys.ToList();
        var hours = new List<Hour>();
        foreach (var (_, last, models) in folds.Where(f => f.Models.Count == names.Count))
        {
            var blocks = names.Select(m => models[m]).ToArray();
            for (var step = 1; step <= last; step++)
            {
                var actual = blocks[0].Actual(step);
                if (!double.IsNaN(actual))
                {
                    hours.Add(new Hour(actual, blocks[0].Scale, [.. blocks.Select(b => b.Forecast[step - 1])]));
                }
            }
        }

        return Decide(hours, names);
    }

    /// <summary>
    /// Production's choice per series from every fold of a backtest (what <c>train</c> records and the M4 benchmark serves):
    /// the model with the lowest scaled MAE, or, where a weighted combination of its best models beat each of them, that
    /// combination, named by <see cref="WeightedCombination.Name"/> (which holds the weights). Series for which
    /// <paramref name="skip"/> is true (roll-ups, served bottom-up) are left out.
    /// </summary>
    public static ModelSelection Select(BacktestPoints all, Func<string, bool> skip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(skip);
        var names = ModelChoice.Choose(all, (_, series, _) => skip(series) ? 0 : int.MaxValue);
        var keys = names.Keys.ToList();
        // Decided per series in parallel, each into its own slot, then recorded in series order.
        var decided = new WeightedCombination?[keys.Count];
        Parallel.For(0, keys.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            decided[i] = Decide(all.BlocksOf(keys[i]), Every));
        var combinations = new Dictionary<string, WeightedCombination>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (decided[i] is { } combination)
            {
                names[keys[i]] = combination.Name;
                combinations[keys[i]] = combination;
            }
        }

        return new ModelSelection(names, combinations);
    }

    /// <summary>
    /// Every fold's points of each selected combination, named as the selection names it, made as they are read (millions
    /// at 1,000 series): the residuals its interval is calibrated on.
    /// </summary>
    public static IEnumerable<BacktestPoint> Points(BacktestPoints all, ModelSelection selection)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(selection);
        return selection.Combinations.SelectMany(c => Points(all.BlocksOf(c.Key), Every, c.Value, c.Value.Name));
    }

    private static int Every(int fold) => int.MaxValue;

    /// <summary>
    /// <see cref="Points(IEnumerable{BacktestPoint}, WeightedCombination, string)"/> over one series' blocks, each read up to
    /// <paramref name="lastStep"/>(fold) hours (0 leaves the block out).
    /// </summary>
    public static IEnumerable<BacktestPoint> Points(IReadOnlyList<BacktestBlock> seriesBlocks, Func<int, int> lastStep, WeightedCombination combination, string model)
    {
        ArgumentNullException.ThrowIfNull(combination);
        foreach (var (_, last, models) in Folds(seriesBlocks, lastStep, valid: false))
        {
            var members = models.Where(m => combination.Models.Contains(m.Key)).ToDictionary();
            if (!combination.Models.All(members.ContainsKey))
            {
                continue;
            }

            // The first block of the fold (in the order added) names the hour, as the first point of the hour does.
            var first = seriesBlocks.First(b => members.ContainsValue(b));
            for (var step = 1; step <= last; step++)
            {
                yield return first.Point(step) with { Forecast = combination.Combine(m => members[m].Forecast[step - 1]), Model = model };
            }
        }
    }

    private static WeightedCombination? Decide(List<Hour> hours, List<string> models)
    {
        if (models.Count < 2 || hours.Count == 0)
        {
            return null;
        }

        var index = models.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        var errors = models.ToDictionary(m => m, m => hours.Average(h => Math.Abs(h.Actual - h.Forecasts[index[m]]) / h.Scale));
        var combination = WeightedCombination.FromErrors(errors);
        var combined = hours.Average(h => Math.Abs(h.Actual - combination.Combine(m => h.Forecasts[index[m]])) / h.Scale);
        return combined < errors.Values.Min() ? combination : null;
    }

    /// <summary>The combination's forecast at every hour of the points where all its models forecast, as points of <paramref name="model"/>.</summary>
    public static IEnumerable<BacktestPoint> Points(IEnumerable<BacktestPoint> seriesPoints, WeightedCombination combination, string model)
    {
        ArgumentNullException.ThrowIfNull(seriesPoints);
        ArgumentNullException.ThrowIfNull(combination);
        foreach (var hour in seriesPoints.Where(p => p.Model != ModelScore.Served && combination.Models.Contains(p.Model)).GroupBy(p => (p.Series, p.Fold, p.Step)))
        {
            var forecasts = hour.ToDictionary(p => p.Model, p => p.Forecast);
            if (combination.Models.All(forecasts.ContainsKey))
            {
                yield return hour.First() with { Forecast = combination.Combine(m => forecasts[m]), Model = model };
            }
        }
    }

    /// <summary>
    /// One series' blocks by fold, in the order added, with the hours read of each (the fold's last step) and each model's
    /// first block; with <paramref name="valid"/>, only blocks with a level and at least one observed hour, as
    /// <see cref="Hours(IEnumerable{BacktestPoint}, out List{string})"/> keeps.
    /// </summary>
    private static List<(int Fold, int Last, Dictionary<string, BacktestBlock> Models)> Folds(IReadOnlyList<BacktestBlock> seriesBlocks, Func<int, int> lastStep, bool valid)
    {
        ArgumentNullException.ThrowIfNull(seriesBlocks);
        ArgumentNullException.ThrowIfNull(lastStep);
        var folds = new List<(int Fold, int Last, Dictionary<string, BacktestBlock> Models)>();
        foreach (var block in seriesBlocks)
        {
            var last = Math.Min(block.Forecast.Length, lastStep(block.Fold));
            if (last <= 0 || block.Model == ModelScore.Served || (valid && (!(block.Scale > 0) || !Enumerable.Range(1, last).Any(step => !double.IsNaN(block.Actual(step))))))
            {
                continue;
            }

            var at = folds.FindIndex(f => f.Fold == block.Fold);
            if (at < 0)
            {
                folds.Add((block.Fold, last, []));
                at = folds.Count - 1;
            }

            folds[at].Models.TryAdd(block.Model, block);
        }

        return folds;
    }

    /// <summary>
    /// The hours (fold, step) at which every model forecast, in the order they first appear; models in the order they
    /// first appear. One dictionary entry per hour and an array slot per model: a series has about 12,000 points.
    /// </summary>
    private static List<Hour> Hours(IEnumerable<BacktestPoint> seriesPoints, out List<string> models)
    {
        ArgumentNullException.ThrowIfNull(seriesPoints);
        var kept = seriesPoints.Where(p => p.Model != ModelScore.Served && !double.IsNaN(p.Actual) && p.Scale > 0).ToList();
        var index = new Dictionary<string, int>();
        foreach (var p in kept)
        {
            index.TryAdd(p.Model, index.Count);
        }

        models = [.. index.Keys];
        var count = models.Count;
        var byHour = new Dictionary<(int Fold, int Step), (BacktestPoint First, double[] Forecasts, int Seen)>();
        string? lastModel = null;
        var m = 0;
        foreach (var p in kept)
        {
            if (!ReferenceEquals(p.Model, lastModel))
            {
                m = index[p.Model];
                lastModel = p.Model;
            }

            var key = (p.Fold, p.Step);
            if (!byHour.TryGetValue(key, out var hour))
            {
                hour = (p, new double[count], 0);
                Array.Fill(hour.Forecasts, double.NaN);
            }

            // The first forecast of a model for an hour counts, as before.
            if (double.IsNaN(hour.Forecasts[m]))
            {
                hour.Forecasts[m] = p.Forecast;
                hour.Seen++;
            }

            byHour[key] = hour;
        }

        return [.. byHour.Values.Where(h => h.Seen == count).Select(h => new Hour(h.First.Actual, h.First.Scale, h.Forecasts))];
    }

    /// <summary>One hour's actual, level and every model's forecast (by the index of the model in the models' list).</summary>
    private sealed record Hour(double Actual, double Scale, double[] Forecasts);
}
