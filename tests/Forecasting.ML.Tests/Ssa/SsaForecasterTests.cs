using Forecasting.Core.Forecasting;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Data.Samples;
using Forecasting.ML.Models;
using Forecasting.ML.Models.Ssa;

namespace Forecasting.ML.Tests.Ssa;

public sealed class SsaForecasterTests
{
    private const int EightWeeks = 24 * 7 * 8;
    private const int Week = 168;

    [Fact]
    public void NameIsSsa()
    {
        Assert.Equal("ssa", new SsaForecaster().Name);
    }

    [Fact]
    public void OnAYoungBurstyRelayTheForecastStaysWithinTheCeilingOfTheHistorysLargestHour()
    {
        // Two weeks of bursty traffic: on the log scale the old limit (twice the largest deviation from the mean, a ratio)
        // let the recurrence reach a hundred times the history's largest hour.
        var leaves = SeriesBuilder.Build(SampleUsageGenerator.Generate(new SampleUsageOptions { Weeks = 2, Bursty = true }), ForecastTarget.Tokens, PriceTable.Default, rollups: false);
        var options = new SsaOptions();
        var checkedForecasts = 0;
        foreach (var leaf in leaves)
        {
            for (var origin = 200; origin <= leaf.Length; origin += 24)
            {
                var history = leaf.Values[..origin];
                var forecaster = new SsaForecaster(options);
                forecaster.Fit(history);
                var forecast = forecaster.Predict(Week);

                // The fitted span runs from the first observed hour; the ceiling is over observed hours only.
                var span = history.Length - Array.FindIndex(history, v => !double.IsNaN(v));
                var largest = history.Where(v => !double.IsNaN(v)).Max();
                var ceiling = (Math.Pow(options.ExplosionFactor, 1 + ((double)Week / span)) * (largest + 1)) - 1;
                Assert.All(forecast, v => Assert.InRange(v, 0, ceiling * (1 + 1e-9)));
                checkedForecasts++;
            }
        }

        Assert.True(checkedForecasts >= 20, $"{checkedForecasts} forecasts checked");
    }

    [Fact]
    public void AFastGrowingSeriesKeepsGrowingWithItsDailyCycle()
    {
        // Eight weeks growing 50 % a week (e^0.4) with a daily cycle: the ceiling must not cut a genuine ramp to a flat mean.
        var series = Generate(EightWeeks, t => 1000 * Math.Exp(0.4 * t / Week) * (1.5 + Math.Sin(2 * Math.PI * t / 24)));
        var forecaster = new SsaForecaster();

        forecaster.Fit(series);
        var forecast = forecaster.Predict(Week);

        var lastObservedDay = series[^24..].Average();
        var lastForecastDay = forecast[^24..];
        Assert.True(forecaster.LastPredictRank > 0, "fell back to the history's mean");
        Assert.True(lastForecastDay.Average() > lastObservedDay, $"last forecast day {lastForecastDay.Average():N0} vs last observed day {lastObservedDay:N0}");
        Assert.True(lastForecastDay.Max() > 2 * lastForecastDay.Min(), "the daily cycle is lost");
    }

    [Fact]
    public void SumOfDailyAndWeeklySinusoidsIsContinuedExactly()
    {
        var series = Generate(EightWeeks + 48, t => 100 + (30 * Math.Sin(2 * Math.PI * t / 24)) + (20 * Math.Sin((2 * Math.PI * t / Week) + 0.3)));
        var forecaster = new SsaForecaster(new SsaOptions { LogTransform = false });

        forecaster.Fit(series.AsSpan(0, EightWeeks));
        var forecast = forecaster.Predict(48);

        for (var h = 0; h < 48; h++)
        {
            var actual = series[EightWeeks + h];
            Assert.True(Math.Abs(forecast[h] - actual) <= 1e-6 * Math.Abs(actual), $"hour {h}: {forecast[h]} vs {actual}");
        }
    }

    [Fact]
    public void LinearTrendPlusDailyCycleIsForecastWithinOnePercentOfLevel()
    {
        // Log transform stays on (the default for non-negative data), so the trend is not an exact
        // recurrence in the modelled scale and the error is small rather than zero.
        var series = Generate(EightWeeks + Week, t => 500 + (0.5 * t) + (50 * Math.Sin(2 * Math.PI * t / 24)));
        var forecaster = new SsaForecaster();

        forecaster.Fit(series.AsSpan(0, EightWeeks));
        var forecast = forecaster.Predict(Week);

        var level = series.AsSpan(EightWeeks).ToArray().Average();
        Assert.True(Mae(forecast, series.AsSpan(EightWeeks)) < 0.01 * level);
    }

    [Fact]
    public void NoisySeasonalSeriesBeatsDailySeasonalNaiveOnAnUnseenWeek()
    {
        var series = Traffic(EightWeeks + Week, noise: 0.1, seed: 42);
        var holdout = series.AsSpan(EightWeeks);
        var forecaster = new SsaForecaster();

        forecaster.Fit(series.AsSpan(0, EightWeeks));
        var ssa = Mae(forecaster.Predict(Week), holdout);
        var naive = Mae(SeasonalNaive(series.AsSpan(0, EightWeeks), 24, Week), holdout);

        Assert.True(ssa < naive, $"SSA MAE {ssa:F1}, seasonal naive (24) MAE {naive:F1}");
    }

    [Fact]
    public void NoisySeasonalSeriesBeatsWeeklySeasonalNaiveOnAnUnseenWeek()
    {
        // The weekly naive is the stronger baseline: it already knows the weekend. SSA wins by
        // denoising, so the margin depends on the noise: at 5% noise the weekly naive wins here.
        var series = Traffic(EightWeeks + Week, noise: 0.1, seed: 42);
        var holdout = series.AsSpan(EightWeeks);
        var forecaster = new SsaForecaster();

        forecaster.Fit(series.AsSpan(0, EightWeeks));
        var ssa = Mae(forecaster.Predict(Week), holdout);
        var naive = Mae(SeasonalNaive(series.AsSpan(0, EightWeeks), Week, Week), holdout);

        Assert.True(ssa < naive, $"SSA MAE {ssa:F1}, seasonal naive (168) MAE {naive:F1}");
    }

    [Fact]
    public void GapsInHistoryKeepForecastsFiniteNonNegativeAndClose()
    {
        var series = Traffic(EightWeeks + Week, noise: 0.1, seed: 7);
        var holdout = series.AsSpan(EightWeeks).ToArray();
        var gappy = series[..EightWeeks];
        Punch(gappy, 0, 12);      // leading gap: dropped
        Punch(gappy, 300, 1);     // single hour: linear
        Punch(gappy, 500, 30);    // most of a day: seasonal copy
        Punch(gappy, 900, 200);   // longer than a week: copies its own fill
        Punch(gappy, EightWeeks - 5, 5); // trailing gap: the forecast still starts after it

        var clean = new SsaForecaster();
        clean.Fit(series.AsSpan(0, EightWeeks));
        var withGaps = new SsaForecaster();
        withGaps.Fit(gappy);
        var forecast = withGaps.Predict(Week);

        Assert.All(forecast, v => Assert.True(double.IsFinite(v) && v >= 0, $"forecast {v}"));
        Assert.True(Mae(forecast, holdout) < 1.25 * Mae(clean.Predict(Week), holdout));
    }

    [Fact]
    public void FallingSeriesIsClampedAtZero()
    {
        // Without the log transform the recurrence happily continues a falling line below zero.
        var series = Generate(400, t => Math.Max(0, 200 - (0.5 * t)) + (10 * Math.Sin(2 * Math.PI * t / 24)));
        var forecaster = new SsaForecaster(new SsaOptions { LogTransform = false });

        forecaster.Fit(series);
        var forecast = forecaster.Predict(Week);

        Assert.Contains(forecast, v => v == 0);
        Assert.All(forecast, v => Assert.True(v >= 0));
    }

    [Fact]
    public void GrowingRecurrenceFallsBackToFewerComponents()
    {
        // An oscillation growing 0.3% an hour is continued faithfully by the full recurrence and
        // soon dwarfs the history; the guard trades that for a tamer, lower-rank forecast.
        var series = Generate(EightWeeks, t => 100 + (Math.Exp(0.003 * t) * 10 * Math.Sin(2 * Math.PI * t / 24)));
        var forecaster = new SsaForecaster(new SsaOptions { LogTransform = false });

        forecaster.Fit(series);
        var forecast = forecaster.Predict(Week);

        Assert.InRange(forecaster.LastPredictRank, 1, forecaster.Rank - 1);
        Assert.True(forecast.Max() <= series.Max());
    }

    [Fact]
    public void SixtyHourHistoryUsesAThirtyHourWindowAndStillForecasts()
    {
        var series = Generate(60 + 24, t => 100 + (30 * Math.Sin(2 * Math.PI * t / 24)));
        var forecaster = new SsaForecaster();

        forecaster.Fit(series.AsSpan(0, 60));
        var forecast = forecaster.Predict(24);

        Assert.Equal(30, forecaster.WindowLength);
        Assert.True(Mae(forecast, series.AsSpan(60)) < 0.02 * 100);
    }

    [Fact]
    public void RefreshedOnTheSameHistoryForecastsExactlyAsTheFit()
    {
        var series = Traffic(EightWeeks, noise: 0.1, seed: 5);
        var fitted = new SsaForecaster();
        fitted.Fit(series);

        var refreshed = (SsaForecaster)fitted.Refresh(new SeriesHistory(series))!;

        Assert.Equal(fitted.Rank, refreshed.Rank);
        Assert.Equal(fitted.Predict(Week), refreshed.Predict(Week));
    }

    [Fact]
    public void RefreshedAWeekLaterForecastsTheNewHistoryNearlyAsWellAsAFreshFit()
    {
        // Fitted a week before the origin, refreshed with the week since: the forecast follows the newer level (a step up
        // of 30 % in the last week) as a fresh fit does, though its eigenvectors are a week old.
        var series = Traffic(EightWeeks + (2 * Week), noise: 0.1, seed: 6);
        for (var t = EightWeeks; t < series.Length; t++)
        {
            series[t] *= 1.3;
        }

        var origin = EightWeeks + Week;
        var old = new SsaForecaster();
        old.Fit(series.AsSpan(0, EightWeeks));
        var fresh = new SsaForecaster();
        fresh.Fit(series.AsSpan(0, origin));

        var refreshed = old.Refresh(new SeriesHistory(series.AsMemory(0, origin)))!;
        var holdout = series.AsSpan(origin);
        var stale = Mae(old.Predict(Week), holdout);
        var refreshedMae = Mae(refreshed.Predict(Week), holdout);
        var freshMae = Mae(fresh.Predict(Week), holdout);

        Assert.True(refreshedMae < 0.5 * stale, $"refreshed MAE {refreshedMae:F2}, forecast from the fit's own origin {stale:F2}");
        Assert.True(refreshedMae < 1.1 * freshMae, $"refreshed MAE {refreshedMae:F2}, fresh fit {freshMae:F2}");
    }

    [Fact]
    public void RefreshIsRefusedWhenAFitWouldTakeAnotherWindow()
    {
        var series = Generate(300, t => 100 + (30 * Math.Sin(2 * Math.PI * t / 24)));
        var young = new SsaForecaster();
        young.Fit(series.AsSpan(0, 100));

        Assert.Equal(50, young.WindowLength);
        Assert.Null(young.Refresh(new SeriesHistory(series.AsMemory(0, 300))));
        Assert.NotNull(young.Refresh(new SeriesHistory(series.AsMemory(0, 101))));
    }

    [Fact]
    public void HistoryWithFewerThan24ObservedHoursThrowsArgumentException()
    {
        var history = Generate(40, t => 10 + (t % 24));
        Punch(history, 0, 20);
        var forecaster = new SsaForecaster();

        var error = Assert.Throws<ArgumentException>(() => forecaster.Fit(history));

        Assert.Contains("at least 24 observed hours", error.Message);
    }

    [Fact]
    public void OnlyTheLastTrainingHoursAreFitted()
    {
        var signal = Generate(EightWeeks, t => 100 + (30 * Math.Sin(2 * Math.PI * t / 24)));
        var withOldHistory = Enumerable.Repeat(1e6, 500).Concat(signal).ToArray();
        var recentOnly = new SsaForecaster();
        var longer = new SsaForecaster();

        recentOnly.Fit(signal);
        longer.Fit(withOldHistory);

        Assert.Equal(recentOnly.Predict(24), longer.Predict(24));
    }

    [Fact]
    public void PredictBeforeFitThrows()
    {
        Assert.Throws<InvalidOperationException>(() => new SsaForecaster().Predict(24));
    }

    private static double[] Generate(int length, Func<int, double> value)
    {
        var series = new double[length];
        for (var t = 0; t < length; t++)
        {
            series[t] = value(t);
        }

        return series;
    }

    /// <summary>
    /// Hourly traffic: a business-hours daily shape with a second harmonic, weekends at 55%, and
    /// multiplicative log-normal noise.
    /// </summary>
    private static double[] Traffic(int length, double noise, int seed)
    {
        var random = new Random(seed);
        return Generate(length, t =>
        {
            var hour = t % 24;
            var daily = 1 + (0.6 * Math.Sin(2 * Math.PI * (hour - 8) / 24)) + (0.2 * Math.Sin(4 * Math.PI * hour / 24));
            var weekly = (t / 24 % 7) >= 5 ? 0.55 : 1.0;
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return 1000 * daily * weekly * Math.Exp(noise * gaussian);
        });
    }

    private static double[] SeasonalNaive(ReadOnlySpan<double> history, int season, int horizon)
    {
        var forecast = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            forecast[h] = history[history.Length - season + (h % season)];
        }

        return forecast;
    }

    private static void Punch(double[] series, int start, int length)
    {
        Array.Fill(series, double.NaN, start, length);
    }

    private static double Mae(double[] forecast, ReadOnlySpan<double> actual)
    {
        var sum = 0.0;
        for (var h = 0; h < forecast.Length; h++)
        {
            sum += Math.Abs(forecast[h] - actual[h]);
        }

        return sum / forecast.Length;
    }
}
