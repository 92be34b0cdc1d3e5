using Forecasting.Core.Backtesting;

namespace Forecasting.Application.Tests;

public sealed class PlanBuilderTests
{
    private static readonly DateTimeOffset Origin = new(2026, 10, 31, 23, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ADaysBandIsTheSpreadOfWholeBacktestDaysActualOverForecast()
    {
        // Ten whole days, each forecast 24 × 100, with actual/forecast ratios 0.80, 0.85, ... 1.25.
        var points = new List<BacktestPoint>();
        for (var day = 0; day < 10; day++)
        {
            var ratio = 0.8 + (0.05 * day);
            for (var h = 1; h <= 24; h++)
            {
                points.Add(new BacktestPoint("tutor/gpt-4.1", 0, 0, (day * 24) + h, Origin.AddHours((day * 24) + h), 100 * ratio, 100, "fasttree", 1));
            }
        }

        var bands = PlanBuilder.DailyBands(points, 0.8);

        var (low, high) = bands["tutor/gpt-4.1"];
        // Quantiles 0.1 and 0.9 of 0.80..1.25 by linear interpolation: positions 0.9 and 8.1.
        Assert.Equal(0.845, low, 9);
        Assert.Equal(1.205, high, 9);
    }

    [Fact]
    public void DaysWithAMissingHourOrTooFewDaysGiveNoBand()
    {
        var points = new List<BacktestPoint>();
        for (var h = 1; h <= 24 * 10; h++)
        {
            // Every day misses its hour 5: no whole day.
            points.Add(new BacktestPoint("a/b", 0, 0, h, Origin.AddHours(h), h % 24 == 5 ? double.NaN : 100, 100, "fasttree", 1));
        }

        for (var h = 1; h <= 24 * 3; h++)
        {
            points.Add(new BacktestPoint("c/d", 0, 0, h, Origin.AddHours(h), 90, 100, "fasttree", 1));
        }

        Assert.Empty(PlanBuilder.DailyBands(points, 0.8));
    }
}
