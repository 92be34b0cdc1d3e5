using Forecasting.Core.Metrics;

namespace Forecasting.Core.Tests.Metrics;

public sealed class ForecastMetricsTests
{
    [Fact]
    public void MsisAddsTheWidthAndFortyTimesTheMissOutsideScaledByTheSeasonalNaiveMae()
    {
        // History with period 2: every |y(t) − y(t−2)| is 2, so the in-sample seasonal naive MAE is 2.
        double[] history = [1, 2, 3, 4, 5, 6];
        double[] actual = [10, 4, 25, double.NaN];
        double[] lower = [8, 5, 15, 0];
        double[] upper = [12, 9, 20, 1];

        // Hour 1 inside: width 4. Hour 2 below by 1: 4 + 40·1 = 44. Hour 3 above by 5: 5 + 40·5 = 205. Hour 4 has no actual.
        // Mean (4 + 44 + 205) / 3 = 84.333..., over the scale 2.
        Assert.Equal(253.0 / 3 / 2, ForecastMetrics.Msis(actual, lower, upper, history, period: 2), 9);

        // alpha 0.2 makes a miss cost 2 / 0.2 = 10 times: (4 + 14 + 55) / 3 / 2.
        Assert.Equal(73.0 / 3 / 2, ForecastMetrics.Msis(actual, lower, upper, history, period: 2, alpha: 0.2), 9);
    }

    [Fact]
    public void MsisIsNaNWithoutAnyScoredHour()
    {
        Assert.True(double.IsNaN(ForecastMetrics.Msis([double.NaN], [1], [2], [1, 2, 3], period: 1)));
        Assert.True(double.IsNaN(ForecastMetrics.Msis([1], [double.NaN], [2], [1, 2, 3], period: 1)));
    }

    [Fact]
    public void MaeIsTheMeanAbsoluteErrorOverObservedHours()
    {
        double[] actual = [10, 20, double.NaN, 40];
        double[] forecast = [12, 15, 1000, 40];

        // |10-12| + |20-15| + |40-40| = 7 over 3 observed hours.
        Assert.Equal(7.0 / 3, ForecastMetrics.Mae(actual, forecast), 12);
    }

    [Fact]
    public void SmapeFollowsTheM4DefinitionAndCountsBothZeroAsNoError()
    {
        double[] actual = [100, 50, 0, double.NaN, 0];
        double[] forecast = [80, 50, 0, 999, 10];

        // 200·20/180, 0, 0 (both zero), skipped, 200·10/10 = 200; mean over 4 hours.
        var expected = ((200.0 * 20 / 180) + 0 + 0 + 200) / 4;
        Assert.Equal(expected, ForecastMetrics.Smape(actual, forecast), 12);
    }

    [Fact]
    public void SmapeIsSymmetricInActualAndForecast()
    {
        double[] a = [100, 3, 7];
        double[] b = [80, 4, 7];

        Assert.Equal(ForecastMetrics.Smape(a, b), ForecastMetrics.Smape(b, a), 12);
    }

    [Fact]
    public void SeasonalNaiveScaleIsTheInSampleMaeOfRepeatingTheLastSeason()
    {
        double[] history = [1, 2, 3, 2, 4, 3, 3, 3, 5];

        // Period 3: |2-1| + |4-2| + |3-3| + |3-2| + |3-4| + |5-3| = 7 over 6 pairs.
        Assert.Equal(7.0 / 6, ForecastMetrics.SeasonalNaiveScale(history, 3), 12);
    }

    [Fact]
    public void SeasonalNaiveScaleSkipsPairsWithAGap()
    {
        double[] history = [1, 2, 3, 2, double.NaN, 3, 3, 3, 5];

        // Pairs (1,4) and (4,7) touch the gap; left: |2-1| + |3-3| + |3-2| + |5-3| = 4 over 4.
        Assert.Equal(1.0, ForecastMetrics.SeasonalNaiveScale(history, 3), 12);
    }

    [Fact]
    public void MaseDividesMaeByTheSeasonalNaiveScale()
    {
        double[] history = [1, 2, 3, 2, 4, 3, 3, 3, 5];
        double[] actual = [4, 6, double.NaN];
        double[] forecast = [3, 3, 100];

        // MAE (1 + 3) / 2 = 2 over a scale of 7/6.
        Assert.Equal(12.0 / 7, ForecastMetrics.Mase(actual, forecast, history, 3), 12);
    }

    [Fact]
    public void OwaAveragesSmapeAndMaseRelativeToNaive2()
    {
        Assert.Equal(1.0, ForecastMetrics.Owa(18.383, 2.395), 12);
        Assert.Equal(0.5 * (0.5 + 2.0), ForecastMetrics.Owa(18.383 / 2, 2.395 * 2), 12);
        Assert.Equal(0.5 * ((10.0 / 20) + (3.0 / 1.5)), ForecastMetrics.Owa(10, 3, naive2Smape: 20, naive2Mase: 1.5), 12);
    }

    [Fact]
    public void CoverageCountsActualsInsideTheClosedIntervalAndSkipsUnknowns()
    {
        double[] actual = [1, 2, 3, 4, double.NaN, 5];
        double[] lower = [0, 2, 3.5, 0, 0, double.NaN];
        double[] upper = [1, 3, 4, 3.9, 10, 6];

        // Inside: 1 (on the upper bound) and 2 (on the lower bound); out: 3 and 4; two pairs skipped.
        Assert.Equal(0.5, ForecastMetrics.Coverage(actual, lower, upper));
    }

    [Fact]
    public void MeasuresOverOnlyMissingActualsAreNaN()
    {
        double[] actual = [double.NaN, double.NaN];
        double[] other = [1, 2];

        Assert.True(double.IsNaN(ForecastMetrics.Mae(actual, other)));
        Assert.True(double.IsNaN(ForecastMetrics.Smape(actual, other)));
        Assert.True(double.IsNaN(ForecastMetrics.Coverage(actual, other, other)));
        Assert.True(double.IsNaN(ForecastMetrics.SeasonalNaiveScale([1, 2], 3)));
    }

    [Fact]
    public void PinballChargesTauAboveTheQuantileAndOneMinusTauBelow()
    {
        double[] actual = [10, 10, double.NaN];
        double[] quantile = [8, 14, 3];

        // p90: 0.9·2 above, 0.1·4 below, mean 1.1; p10: 0.1·2 and 0.9·4, mean 1.9.
        Assert.Equal(1.1, ForecastMetrics.Pinball(actual, quantile, 0.9), 12);
        Assert.Equal(1.9, ForecastMetrics.Pinball(actual, quantile, 0.1), 12);
    }

    [Fact]
    public void PeakHoursAreTheTopFifteenPercentOfTheForecastByP50()
    {
        var p50 = Enumerable.Range(0, 20).Select(i => (double)((i * 7) % 20)).ToArray();

        var peaks = ForecastMetrics.PeakHours(p50);

        // ceil(0.15 · 20) = 3 hours: the values 19, 18 and 17.
        Assert.Equal([17.0, 18, 19], p50.Where((_, i) => peaks[i]).Order());
    }
}
