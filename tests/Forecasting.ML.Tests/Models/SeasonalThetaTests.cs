using Forecasting.ML.Models;

namespace Forecasting.ML.Tests.Models;

public sealed class SeasonalThetaTests
{
    private const int Day = 24;

    [Fact]
    public void ExactMultiplicativeDailyProfileWithoutTrendIsRepeated()
    {
        // A level of 50 times a fixed daily profile, no noise: the forecast is the profile again, at that level.
        var shape = Enumerable.Range(0, Day).Select(h => 1 + (0.5 * Math.Sin(2 * Math.PI * h / Day))).ToArray();
        var history = Enumerable.Range(0, 10 * Day).Select(t => 50 * shape[t % Day]).ToArray();
        var model = new SeasonalTheta(Day);

        model.Fit(history);
        var forecast = model.Predict(2 * Day);

        for (var h = 0; h < forecast.Length; h++)
        {
            Assert.Equal(50 * shape[h % Day], forecast[h], 6);
        }
    }

    [Fact]
    public void LinearTrendCarriesOnAtHalfItsSlope()
    {
        // Theta's drift is half the fitted linear trend (the theta-0 line averaged with the theta-2 one).
        var history = Enumerable.Range(0, 20 * Day).Select(t => 100 + (0.5 * t)).ToArray();
        var model = new SeasonalTheta(Day);

        model.Fit(history);
        var forecast = model.Predict(48);

        // Each step ahead adds half the slope of 0.5.
        Assert.Equal(0.25, forecast[47] - forecast[46], 3);
        Assert.True(forecast[0] > history[^1], $"first forecast {forecast[0]:F2} after a last value of {history[^1]:F2}");
    }

    [Fact]
    public void BeatsSeasonalNaiveOnNoisyDailyTraffic()
    {
        var series = SyntheticSeries.Traffic(30 * Day, noise: 8, seed: 7);
        var history = series[..(28 * Day)];
        var actual = series[(28 * Day)..];
        var theta = new SeasonalTheta(Day);
        var naive = new SeasonalNaive(Day);

        theta.Fit(history);
        naive.Fit(history);
        var thetaMae = actual.Select((a, i) => Math.Abs(a - theta.Predict(actual.Length)[i])).Average();
        var naiveMae = actual.Select((a, i) => Math.Abs(a - naive.Predict(actual.Length)[i])).Average();

        // The daily profile averages the noise out where seasonal naive repeats it (its error is ~sqrt 2 noise).
        Assert.True(thetaMae < naiveMae, $"theta MAE {thetaMae:F2}, seasonal naive MAE {naiveMae:F2}");
    }

    [Fact]
    public void ZerosUseTheAdditiveProfileAndForecastsStayNonNegative()
    {
        var history = Enumerable.Range(0, 8 * Day).Select(t => t % Day < 12 ? 0.0 : 10.0).ToArray();
        var model = new SeasonalTheta(Day);

        model.Fit(history);
        var forecast = model.Predict(Day);

        Assert.All(forecast, v => Assert.True(v >= 0, $"negative forecast {v}"));
        Assert.True(forecast[15] - forecast[3] > 9, $"night {forecast[3]:F2}, day {forecast[15]:F2}");
    }

    [Fact]
    public void WeeklyProfileKeepsWeekendsThatTheDailyOneAveragesAway()
    {
        // Weekdays at 100, the two weekend days at 40, six weeks of history ending on a Friday.
        const int Week = 7 * Day;
        var history = Enumerable.Range(0, 6 * Week).Select(t => t % Week >= 5 * Day ? 40.0 : 100.0).ToArray()[..((6 * Week) - (2 * Day))];
        var weekly = new SeasonalTheta(Week);
        var daily = new SeasonalTheta(Day);

        weekly.Fit(history);
        daily.Fit(history);

        // The next two days are the weekend.
        Assert.Equal(40, weekly.Predict(2 * Day).Average(), 0);
        Assert.True(daily.Predict(2 * Day).Average() > 60, "the daily profile cannot know a weekend is next");
        Assert.Equal("theta168", weekly.Name);
        Assert.Equal("theta", daily.Name);
    }

    [Fact]
    public void PredictBeforeFitThrows() =>
        Assert.Throws<InvalidOperationException>(() => new SeasonalTheta().Predict(1));
}
