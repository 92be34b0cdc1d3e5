using Forecasting.Core.Backtesting;
using Forecasting.ML.Calibration;

namespace Forecasting.ML.Tests.Calibration;

public sealed class BottomUpTests
{
    [Fact]
    public void A_rollup_is_the_sum_of_its_members_with_its_own_calibrated_spread()
    {
        // Residuals of +1 and −1 (level-scaled): the interval is the median ± the series level.
        var calibrator = Calibrator(low: -1, high: 1);

        var (p50, p10, p90) = BottomUp.Serve("*/*", [[1.0, 2, 3], [10.0, 20, 30]], 3, calibrator, scale: 2, ceiling: double.PositiveInfinity);

        Assert.Equal([11.0, 22, 33], p50);
        Assert.Equal([9.0, 20, 31], p10);
        Assert.Equal([13.0, 24, 35], p90);
    }

    [Fact]
    public void An_interval_always_holds_its_median_even_where_calibration_is_skewed()
    {
        // Every residual positive: the calibrated interval lies above the forecast.
        var calibrator = Calibrator(low: 1, high: 2);

        var (p10, p90) = BottomUp.Interval("a", [10.0, 20], calibrator, scale: 1, ceiling: double.PositiveInfinity);

        Assert.Equal([10.0, 20], p10);
        Assert.Equal([12.0, 22], p90);
    }

    private static IntervalCalibrator Calibrator(double low, double high) =>
        new(
            Enumerable.Range(0, 100).Select(i => new BacktestPoint("a", 0, 0, 1 + (i % 24), DateTimeOffset.UnixEpoch, 10 + (i % 2 == 0 ? low : high), 10, "m", 1)),
            0.8,
            IntervalMethod.LevelScaled);
}
