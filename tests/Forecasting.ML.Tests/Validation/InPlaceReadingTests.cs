using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Metrics;
using Forecasting.ML.Calibration;
using Forecasting.ML.Models;
using Forecasting.ML.Selection;
using Forecasting.ML.Validation;

namespace Forecasting.ML.Tests.Validation;

/// <summary>
/// Choosing, calibrating and combining read the backtest's blocks in place at scale; they must decide exactly what
/// reading every point decides, at every origin (only the hours resolved by then) and over the whole backtest.
/// </summary>
public sealed class InPlaceReadingTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ReadingBlocksInPlaceChoosesCalibratesAndCombinesAsReadingTheirPoints()
    {
        var options = new BacktestOptions { Horizon = 48, Folds = 3, WarmupFolds = 4 };
        var series = Gapped(count: 5, weeks: 6, seed: 10);
        IForecasterFactory[] models = [LocalForecasterFactory.SeasonalNaive(24), LocalForecasterFactory.SeasonalNaive(168), LocalForecasterFactory.SeasonalMedian(168, 4), LocalForecasterFactory.SeasonalMedian(24, 7)];
        var points = (BacktestPoints)Backtester.Run(series, models, options, null, CancellationToken.None).Points;
        var combined = 0;

        foreach (var fold in points.Folds().Append(int.MaxValue))
        {
            int Last(int f) => fold == int.MaxValue ? int.MaxValue : f < fold ? (fold - f) * options.Step : 0;
            var earlier = points.Where(p => p.Step <= Last(p.Fold)).ToList();

            Assert.Equal(ModelChoice.Choose(earlier), ModelChoice.Choose(points, (f, _, _) => Last(f)));
            var byPoints = IntervalCalibrator.PerModel(earlier, 0.8);
            var inPlace = IntervalCalibrator.PerModel(points, (f, _, _) => Last(f), [], 0.8);
            Assert.Equal(byPoints.Keys.Order(), inPlace.Keys.Order());
            foreach (var model in byPoints.Keys)
            {
                Assert.Equal(byPoints[model].PerSeries.OrderBy(e => e.Key), inPlace[model].PerSeries.OrderBy(e => e.Key));
                Assert.Equal(byPoints[model].Pooled.OrderBy(e => e.Key), inPlace[model].Pooled.OrderBy(e => e.Key));
            }

            foreach (var s in series)
            {
                var own = earlier.Where(p => p.Series == s.Name).ToList();
                var expected = Combiner.Decide(own);
                var actual = Combiner.Decide(points.BlocksOf(s.Name), Last);
                Assert.Equal(expected?.Name, actual?.Name);
                if (expected is not null)
                {
                    combined++;
                    Assert.Equal(Combiner.Points(own, expected, "c"), Combiner.Points(points.BlocksOf(s.Name), Last, actual!, "c"));
                }
            }
        }

        // The comparison meant something: some series were combined somewhere.
        Assert.True(combined > 0, "no series was combined at any origin");
    }

    [Fact]
    public void EachModelsScoresAreTheMeasuresOfItsScoredPoints()
    {
        var options = new BacktestOptions { Horizon = 48, Folds = 3, WarmupFolds = 2 };
        var series = Gapped(count: 4, weeks: 5, seed: 30);
        IForecasterFactory[] models = [LocalForecasterFactory.SeasonalNaive(168), LocalForecasterFactory.SeasonalMedian(168, 4), LocalForecasterFactory.SeasonalMedian(24, 7)];
        var result = Backtester.Run(series, models, options, null, CancellationToken.None);
        var scored = result.Points.Where(p => p.Fold >= options.WarmupFolds && !double.IsNaN(p.Actual)).ToList();
        var baseline = scored.Where(p => p.Model == "snaive").ToDictionary(p => (p.Series, p.Origin, p.Step), p => Math.Abs(p.Actual - p.Forecast));

        foreach (var model in models.Select(m => m.Name))
        {
            void Check(ModelScore score, List<BacktestPoint> own)
            {
                Assert.Equal(own.Count, score.Points);
                Assert.Equal(ForecastMetrics.Mae([.. own.Select(p => p.Actual)], [.. own.Select(p => p.Forecast)]), score.Mae);
                Assert.Equal(ForecastMetrics.Smape([.. own.Select(p => p.Actual)], [.. own.Select(p => p.Forecast)]), score.Smape);
                Assert.Equal(own.Sum(p => Math.Abs(p.Actual - p.Forecast)) / own.Sum(p => baseline[(p.Series, p.Origin, p.Step)]), score.RelativeMae, 12);
                var mase = own.GroupBy(p => (p.Series, p.Origin))
                    .Select(g => g.Average(p => Math.Abs(p.Actual - p.Forecast)) / ForecastMetrics.SeasonalNaiveScale(series.Single(s => s.Name == g.Key.Series).Values.AsSpan(0, g.Key.Origin + 1), options.Period))
                    .Average();
                Assert.Equal(mase, score.Mase, 12);
                Assert.True(double.IsNaN(score.Coverage));
            }

            var points = scored.Where(p => p.Model == model).ToList();
            Check(result.Scores.Single(s => s.Model == model), points);
            foreach (var one in points.GroupBy(p => p.Series))
            {
                Check(result.ScoresBySeries[one.Key].Single(s => s.Model == model), [.. one]);
            }
        }
    }

    /// <summary>Traffic series of growing noise, each with a gap in its last week, so hours without an actual are left out alike.</summary>
    private static List<NamedSeries> Gapped(int count, int weeks, int seed) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var values = SyntheticSeries.Traffic(weeks * 168, noise: 4 + (3 * i), seed: seed + i);
            values[((weeks - 1) * 168) + 7 + i] = double.NaN;
            return new NamedSeries($"s{i}", values, Start);
        })];
}
