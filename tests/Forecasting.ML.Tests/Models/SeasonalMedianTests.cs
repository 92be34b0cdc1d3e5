using Forecasting.ML.Models;

namespace Forecasting.ML.Tests.Models;

public sealed class SeasonalMedianTests
{
    private const int Week = 168;

    [Fact]
    public void EachHourIsTheMedianOfTheSameHourInEarlierCycles()
    {
        // Three cycles of period 3; the middle one is an outlier at every position.
        double[] history = [1, 2, 3, 10, 20, 30, 4, 5, 6];
        var model = new SeasonalMedian(period: 3, cycles: 3);

        model.Fit(history);

        // Medians are 4, 5, 6; the last cycle sums to 15 as they do, so the level ratio is 1.
        Assert.Equal([4, 5, 6, 4, 5, 6, 4], model.Predict(7));
    }

    [Fact]
    public void OneSpikedWeekMovesTheMedianFarLessThanSeasonalNaive()
    {
        const int Weeks = 6;
        var series = SyntheticSeries.Traffic((Weeks + 1) * Week, noise: 3, seed: 31);
        var history = series[..(Weeks * Week)];

        // A burst through the last week, ending two days before the origin (so the last day is normal).
        for (var i = history.Length - Week; i < history.Length - 48; i++)
        {
            history[i] *= 4;
        }

        var actual = series[(Weeks * Week)..];
        var median = new SeasonalMedian();
        var naive = new SeasonalNaive();

        median.Fit(history);
        naive.Fit(history);
        var medianMae = Mae(actual, median.Predict(Week));
        var naiveMae = Mae(actual, naive.Predict(Week));

        Assert.True(medianMae < naiveMae / 5, $"median MAE {medianMae:F2}, seasonal naive MAE {naiveMae:F2}");

        // Unspiked, the median is about as accurate as the noise allows.
        Assert.True(medianMae < 10, $"median MAE {medianMae:F2}");
    }

    [Fact]
    public void LevelStepInTheLastDayCarriesOnThroughTheForecast()
    {
        const int Length = 5 * Week;
        var history = Enumerable.Range(0, Length).Select(t => SyntheticSeries.Seasonal(t)).ToArray();
        for (var i = Length - 48; i < Length; i++)
        {
            history[i] *= 1.5;
        }

        var model = new SeasonalMedian();

        model.Fit(history);
        var forecast = model.Predict(Week);

        // Three of four cycles at each hour are at the old level, so the median profile is the old
        // level and the last day's ratio to it is exactly 1.5.
        for (var h = 0; h < Week; h++)
        {
            Assert.Equal(1.5 * SyntheticSeries.Seasonal(Length + h), forecast[h], 9);
        }
    }

    [Fact]
    public void ForecastsAreNeverNegative()
    {
        var random = new Random(32);
        var history = Enumerable.Range(0, 4 * Week).Select(t => (20 * Math.Sin(2 * Math.PI * t / 24)) + random.NextDouble()).ToArray();
        var model = new SeasonalMedian();

        model.Fit(history);
        var forecast = model.Predict(2 * Week);

        Assert.All(forecast, f => Assert.True(f >= 0, $"{f}"));
        Assert.Contains(forecast, f => f > 0);
    }

    [Fact]
    public void GapsInAPeriodicSeriesDoNotChangeTheForecast()
    {
        const int Length = 4 * Week;
        var truth = Enumerable.Range(0, Length + Week).Select(t => SyntheticSeries.Seasonal(t)).ToArray();
        var history = truth[..Length];
        for (var i = 0; i < 12; i++)
        {
            history[i] = double.NaN;
        }

        history[Week * 2] = double.NaN;
        for (var i = Length - 30; i < Length - 5; i++)
        {
            history[i] = double.NaN;
        }

        var model = new SeasonalMedian();

        model.Fit(history);
        var forecast = model.Predict(Week);

        for (var h = 0; h < Week; h++)
        {
            Assert.Equal(truth[Length + h], forecast[h], 9);
        }
    }

    [Fact]
    public void AllMissingHistoryCannotBeFitted()
    {
        var model = new SeasonalMedian();

        Assert.Throws<ArgumentException>(() => model.Fit([double.NaN]));
        Assert.Throws<InvalidOperationException>(() => model.Predict(1));
    }

    private static double Mae(double[] actual, double[] forecast) =>
        actual.Zip(forecast, (a, f) => Math.Abs(a - f)).Average();
}
