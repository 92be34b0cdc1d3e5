using Forecasting.Core.Backtesting;
using Forecasting.ML.Calibration;

namespace Forecasting.ML.Tests.Calibration;

public sealed class IntervalCalibratorTests
{
    [Fact]
    public void QuantilesOfKnownResidualsGiveTheInterval()
    {
        // 50 residuals of a series with scale 2: actual − forecast = 2·(i − 20), normalized i − 20 for i = 0..49.
        var residuals = Enumerable.Range(0, 50).Select(i => Point("a", step: 1 + (i % 24), forecast: 100, actual: 100 + (2.0 * (i - 20)), scale: 2));

        var calibrator = new IntervalCalibrator(residuals, 0.8, IntervalMethod.LevelScaled);

        // Sorted values run −20..29. p10 sits at position 0.1·49 = 4.9: −16 + 0.9 = −15.1;
        // p90 at 0.9·49 = 44.1: 24 + 0.1 = 24.1.
        var (low, high) = calibrator.PerSeries[("a", 0)];
        Assert.Equal(-15.1, low, 9);
        Assert.Equal(24.1, high, 9);
        var (p10, p90) = calibrator.Interval("a", 5, forecast: 200, scale: 3);
        Assert.Equal(200 - (15.1 * 3), p10, 9);
        Assert.Equal(200 + (24.1 * 3), p90, 9);
    }

    [Fact]
    public void SeriesWithFortyEightSamplesUseTheirOwnResidualsAndFewerUseThePool()
    {
        // Series a: 48 residuals of +1 scale; series b: 47 of −1.
        var residuals = Enumerable.Range(0, 48).Select(i => Point("a", 1 + (i % 24), 10, 11, 1))
            .Concat(Enumerable.Range(0, 47).Select(i => Point("b", 1 + (i % 24), 10, 9, 1)));

        var calibrator = new IntervalCalibrator(residuals, 0.8, IntervalMethod.LevelScaled);

        // Pooled: 47 × −1 then 48 × +1; p10 at position 9.4 is −1, p90 at 84.6 is +1.
        Assert.Equal((20.0 + 5, 20.0 + 5), calibrator.Interval("a", 1, forecast: 20, scale: 5));
        Assert.Equal((20.0 - 5, 20.0 + 5), calibrator.Interval("b", 1, forecast: 20, scale: 5));
        Assert.Equal((20.0 - 5, 20.0 + 5), calibrator.Interval("unseen", 1, forecast: 20, scale: 5));
        Assert.True(calibrator.PerSeries.ContainsKey(("a", 0)));
        Assert.False(calibrator.PerSeries.ContainsKey(("b", 0)));
    }

    [Fact]
    public void BlocksOfTwentyFourStepsAreCalibratedSeparately()
    {
        var residuals = Enumerable.Range(1, 24).Select(step => Point("a", step, 10, 11, 1))
            .Concat(Enumerable.Range(25, 24).Select(step => Point("a", step, 10, 13, 1)));

        var calibrator = new IntervalCalibrator(residuals, 0.8, IntervalMethod.LevelScaled);

        Assert.Equal((11.0, 11.0), calibrator.Interval("a", 24, forecast: 10, scale: 1));
        Assert.Equal((13.0, 13.0), calibrator.Interval("a", 25, forecast: 10, scale: 1));

        // Beyond the calibrated horizon the widest block is used.
        Assert.Equal((13.0, 13.0), calibrator.Interval("a", 100, forecast: 10, scale: 1));
    }

    [Fact]
    public void P10IsNeverNegative()
    {
        var residuals = Enumerable.Range(0, 48).Select(i => Point("a", 1, 10, 10 - (i % 8), 1));

        var calibrator = new IntervalCalibrator(residuals, 0.8, IntervalMethod.LevelScaled);
        var (p10, p90) = calibrator.Interval("a", 1, forecast: 1, scale: 10);

        // The low quantile is below −1 scale, so forecast + q·scale is negative before clamping.
        Assert.True(calibrator.PerSeries[("a", 0)].Low < -0.1);
        Assert.Equal(0, p10);
        Assert.True(p90 >= p10);
    }

    [Fact]
    public void MissingActualsAreIgnoredAndNoResidualsGiveNoInterval()
    {
        var calibrator = new IntervalCalibrator([Point("a", 1, 10, double.NaN, 1)], 0.8, IntervalMethod.LevelScaled);

        Assert.True(calibrator.IsEmpty);
        var (p10, p90) = calibrator.Interval("a", 1, 10, 1);
        Assert.True(double.IsNaN(p10));
        Assert.True(double.IsNaN(p90));
    }

    [Theory]
    [InlineData(0.95)]
    [InlineData(0.8)]
    public void AnIntervalAtAGivenLevelCoversAboutThatShareOfHeldOutHours(double level)
    {
        // 40 series, hourly level with a daily cycle, multiplicative noise whose spread grows with the horizon block;
        // residuals of 6 earlier origins calibrate, 6 later origins (never seen) are scored.
        var random = new Random(11);
        double Noise(int step) => Math.Exp((step <= 24 ? 0.10 : 0.20) * Gaussian(random));
        double Level(int series, int hour) => (100 + (10 * series)) * (1.5 + Math.Sin(2 * Math.PI * hour / 24));
        var calibration = new List<BacktestPoint>();
        var heldOut = new List<(string Series, int Step, double Forecast, double Scale, double Actual)>();
        for (var series = 0; series < 40; series++)
        {
            for (var origin = 0; origin < 12; origin++)
            {
                for (var step = 1; step <= 48; step++)
                {
                    var forecast = Level(series, (origin * 24) + step);
                    var actual = forecast * Noise(step);
                    var scale = 150 + (15 * series);
                    if (origin < 6)
                    {
                        calibration.Add(new BacktestPoint($"s{series}", origin, 500 + (origin * 24), step, null, actual, forecast, "m", scale));
                    }
                    else
                    {
                        heldOut.Add(($"s{series}", step, forecast, scale, actual));
                    }
                }
            }
        }

        var calibrator = new IntervalCalibrator(calibration, level);

        var inside = heldOut.Count(h =>
        {
            var (low, high) = calibrator.Interval(h.Series, h.Step, h.Forecast, h.Scale);
            return h.Actual >= low && h.Actual <= high;
        });
        var coverage = (double)inside / heldOut.Count;
        // 144 residuals per series and block: coverage of held-out hours within a few points of the nominal level.
        Assert.InRange(coverage, level - 0.035, level + 0.02);

        // The wider level gives the wider band, from the same residuals.
        var (low80, high80) = new IntervalCalibrator(calibration, 0.8).Interval("s0", 30, 100, 150);
        var (low95, high95) = new IntervalCalibrator(calibration, 0.95).Interval("s0", 30, 100, 150);
        Assert.True(low95 < low80 && high95 > high80);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static BacktestPoint Point(string series, int step, double forecast, double actual, double scale) =>
        new(series, Fold: 0, Origin: 500, step, Hour: null, actual, forecast, "snaive", scale);
}

/// <summary>The selection behind the calibrator's quantiles against sorting, value for value.</summary>
public sealed class SelectQuantileTests
{
    [Fact]
    public void SelectionGivesTheSortedQuantileExactlyWithTiesAndAnyLength()
    {
        var random = new Random(11);
        double[] levels = [0, 0.01, 0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975, 0.99, 1];
        for (var n = 1; n <= 400; n += n < 20 ? 1 : 17)
        {
            foreach (var ties in new[] { false, true })
            {
                // Log-ratio-like residuals; with ties, few distinct values (zero-usage hours give many equal ones).
                var values = Enumerable.Range(0, n).Select(_ => ties ? random.Next(-3, 4) * 0.5 : Math.Log(random.NextDouble() * 4 + 0.01)).ToArray();
                var sorted = values.Order().ToArray();
                foreach (var q in levels)
                {
                    var position = q * (n - 1);
                    var below = (int)Math.Floor(position);
                    var above = Math.Min(below + 1, n - 1);
                    var expected = sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
                    var copy = values.ToArray();
                    Assert.Equal(expected, IntervalCalibrator.SelectQuantile(copy, q));
                    // Reordered, never changed.
                    Assert.Equal(sorted, copy.Order().ToArray());
                }
            }
        }
    }
}
