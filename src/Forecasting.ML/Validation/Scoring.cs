using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Metrics;

namespace Forecasting.ML.Validation;

/// <summary>
/// The scores of a backtest on its scored origins: each model's and the served forecast's (with its interval's),
/// pooled and per series, relative to the seasonal naive baseline's errors on the same hours.
/// </summary>
public static class Scoring
{
    /// <summary>
    /// Every model (by name, in order) and the served forecast scored in one pass each over their scored blocks, served
    /// first then by relative MAE; per series likewise.
    /// </summary>
    public static (List<ModelScore> Scores, Dictionary<string, IReadOnlyList<ModelScore>> BySeries) Score(
        BacktestPoints points, ServedPoints served, IReadOnlyList<string> models, BacktestOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        var baseline = models.FirstOrDefault(m => ModelId.Parse(m).IsBaseline);
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
                groupScores[g] = ScoreBlocks(models[g], points.Blocks.Where(b => b.Fold >= options.WarmupFolds && b.Model == models[g]), options, baselineBlocks);
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

        return (Ranked(scores), bySeries.ToDictionary(e => e.Key, e => (IReadOnlyList<ModelScore>)Ranked(e.Value)));
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
            // A p90 above this is a runaway: RunawayMultiple times the largest hour observed up to the origin.
            var runaway = block.P90 is null ? double.NaN : ModelScore.RunawayMultiple * LargestObserved(block.Series.Values, block.Origin);
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
                    if (high[step - 1] > runaway)
                    {
                        pooled.AddRunaway();
                        own.AddRunaway();
                    }
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

    /// <summary>The largest observed value up to and including <paramref name="origin"/>; NaN when none is observed (then nothing is a runaway).</summary>
    private static double LargestObserved(double[] values, int origin)
    {
        var max = double.NaN;
        for (var t = 0; t <= origin; t++)
        {
            if (!double.IsNaN(values[t]) && !(values[t] <= max))
            {
                max = values[t];
            }
        }

        return max;
    }

    /// <summary>A block of forecast hours as <see cref="ScoreHours"/> reads it: an interval only for the served forecast.</summary>
    private readonly record struct ScoredBlock(NamedSeries Series, int Origin, double[] Forecast, double[]? P10, double[]? P90);

    private static List<ModelScore> Ranked(List<ModelScore> scores) => [.. scores.OrderBy(s => s.Model == ModelScore.Served ? 0 : 1).ThenBy(s => s.RelativeMae)];
}
