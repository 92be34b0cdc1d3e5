using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.ML.Calibration;
using Forecasting.ML.Models;
using Forecasting.ML.Validation;

namespace Forecasting.ML.Tests.Calibration;

/// <summary>
/// Intervals on traffic whose noise is multiplicative (the shape of LLM usage: a 10× daily swing, errors in
/// proportion to the level), backtested with real models. The peaks, where capacity is decided, must be covered
/// as well as the average hour.
/// </summary>
public sealed class ConditionalCalibrationTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void LogRatioIntervalsHoldAtThePredictedPeaksOfMultiplicativeTraffic()
    {
        var result = Run(IntervalMethod.LogRatio);
        var served = result.Scores.Single(s => s.Model == ModelScore.Served);

        Assert.InRange(served.Coverage, 0.72, 0.88);
        Assert.InRange(served.PeakCoverage, 0.72, 0.88);
        Assert.InRange(served.PeakAboveP90, 0, 0.15);
        // Never zero: the series never is.
        Assert.All(result.Served, p => Assert.True(p.P10 > 0, $"{p.Series} step {p.Step}: p10 {p.P10}"));

        // The band follows the forecast: in proportion to p50 about as wide at night as at the peak, so narrow in tokens at night.
        var (night, peak) = RelativeWidths(result.Served);
        Assert.InRange(night / peak, 0.6, 1.6);
    }

    [Fact]
    public void LevelScaledIntervalsMissThePeaksOfTheSameTraffic()
    {
        // The method before calibration version 2, on the same data: one width for every hour of a block.
        var served = Run(IntervalMethod.LevelScaled).Scores.Single(s => s.Model == ModelScore.Served);
        var logRatio = Run(IntervalMethod.LogRatio).Scores.Single(s => s.Model == ModelScore.Served);

        Assert.True(served.PeakCoverage < 0.65, $"level-scaled coverage at the peaks {served.PeakCoverage:P1}");
        Assert.True(logRatio.PinballP90 < served.PinballP90, $"pinball p90 {logRatio.PinballP90} vs {served.PinballP90}");
    }

    [Fact]
    public void LogRatioQuantilesAreRelativeToTheForecast()
    {
        // Actuals at 0.8×..1.3× the forecast, far above the offset: the quantiles are (nearly) log 0.85 and log 1.25.
        var factors = Enumerable.Range(0, 50).Select(i => 0.8 + (i / 98.0)).ToList();
        var residuals = factors.Select((f, i) => new BacktestPoint("a", 0, 500, 1 + (i % 24), null, 1000 * f, 1000, "snaive", 1000));

        var calibrator = new IntervalCalibrator(residuals, 0.8);
        var (lowAtPeak, highAtPeak) = calibrator.Interval("a", 3, forecast: 2000, scale: 1000);
        var (lowAtNight, highAtNight) = calibrator.Interval("a", 3, forecast: 200, scale: 1000);

        Assert.Equal(IntervalMethod.LogRatio, calibrator.Method);
        Assert.InRange(highAtPeak - lowAtPeak, 5 * (highAtNight - lowAtNight), 15 * (highAtNight - lowAtNight));
        Assert.InRange(lowAtPeak / 2000, 0.83, 0.87);
        Assert.InRange(highAtPeak / 2000, 1.23, 1.27);
        Assert.True(lowAtNight > 0);
    }

    private static BacktestResult Run(IntervalMethod method)
    {
        var models = new IForecasterFactory[]
        {
            LocalForecasterFactory.SeasonalNaive(168),
            LocalForecasterFactory.SeasonalMedian(168, 4),
            LocalForecasterFactory.SeasonalNaive(24),
        };
        var options = new BacktestOptions { Horizon = 168, Folds = 4, IntervalMethod = method };
        return Backtester.Run(Series(), models, options, null, CancellationToken.None);
    }

    /// <summary>Six series, 12 weeks: level × daily shape (0.1 at night to 2 at the peak) × weekday factor × lognormal noise (σ 0.15).</summary>
    private static List<NamedSeries> Series()
    {
        var random = new Random(11);
        return [.. Enumerable.Range(0, 6).Select(s =>
        {
            var level = 1000.0 * (s + 1);
            var values = new double[12 * 168];
            for (var t = 0; t < values.Length; t++)
            {
                var hour = (t + (3 * s)) % 24;
                var daily = 0.1 + (1.9 * Math.Pow(Math.Max(0, Math.Sin(Math.PI * (hour - 6) / 14.0)), 2));
                var weekday = (t / 24) % 7 >= 5 ? 0.6 : 1.0;
                values[t] = level * daily * weekday * Math.Exp(0.15 * SyntheticSeries.Gaussian(random));
            }

            return new NamedSeries($"p{s}/m", values, Start);
        })];
    }

    /// <summary>Mean (p90 − p10) / p50 over the hours forecast lowest (bottom quarter) and highest (top 15 %) of each forecast.</summary>
    private static (double Night, double Peak) RelativeWidths(IReadOnlyList<BacktestPoint> served)
    {
        var night = new List<double>();
        var peak = new List<double>();
        foreach (var forecast in served.GroupBy(p => (p.Series, p.Origin)))
        {
            var ordered = forecast.OrderBy(p => p.Forecast).ToList();
            night.AddRange(ordered.Take(ordered.Count / 4).Select(p => (p.P90 - p.P10) / p.Forecast));
            peak.AddRange(ordered.Skip(ordered.Count - (int)Math.Ceiling(0.15 * ordered.Count)).Select(p => (p.P90 - p.P10) / p.Forecast));
        }

        return (night.Average(), peak.Average());
    }
}
