using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;

namespace Forecasting.Core.Tests.Backtesting;

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
        var series = Enumerable.Range(0, 5).Select(i =>
        {
            var values = SyntheticSeries.Traffic(6 * 168, noise: 4 + (3 * i), seed: 10 + i);
            // A gap, so hours without an actual are left out alike.
            values[(5 * 168) + 7] = double.NaN;
            return new NamedSeries($"s{i}", values, Start);
        }).ToList();
        IForecasterFactory[] models = [LocalForecasterFactory.SeasonalNaive(24), LocalForecasterFactory.SeasonalNaive(168), LocalForecasterFactory.SeasonalMedian(168, 4), LocalForecasterFactory.SeasonalMedian(24, 7)];
        var points = (BacktestPoints)Backtester.Run(series, models, options, null, CancellationToken.None).Points;
        var combined = 0;

        foreach (var fold in points.Folds().Append(int.MaxValue))
        {
            int Last(int f) => fold == int.MaxValue ? int.MaxValue : f < fold ? (fold - f) * options.Step : 0;
            var earlier = points.Where(p => p.Step <= Last(p.Fold)).ToList();

            Assert.Equal(Backtester.Choose(earlier), Backtester.Choose(points, (f, _, _) => Last(f)));
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
}
