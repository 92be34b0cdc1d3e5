using Forecasting.ML.Models;

namespace Forecasting.ML.Tests.Models;

public sealed class SeasonalNaiveTests
{
    private const int Week = 168;

    [Fact]
    public void ForecastRepeatsTheLastSeasonExactly()
    {
        var random = new Random(21);
        var history = Enumerable.Range(0, 500).Select(_ => 10 + (90 * random.NextDouble())).ToArray();
        var model = new SeasonalNaive();

        model.Fit(history);
        var forecast = model.Predict(400);

        for (var h = 0; h < 400; h++)
        {
            Assert.Equal(history[500 - Week + (h % Week)], forecast[h]);
        }
    }

    [Fact]
    public void DailyPeriodRepeatsTheLastDay()
    {
        var random = new Random(22);
        var history = Enumerable.Range(0, 100).Select(_ => random.NextDouble()).ToArray();
        var model = new SeasonalNaive(24);

        model.Fit(history);
        var forecast = model.Predict(48);

        Assert.Equal("snaive24", model.Name);
        Assert.Equal(history[^24..], forecast[..24]);
        Assert.Equal(history[^24..], forecast[24..]);
    }

    [Fact]
    public void HistoryShorterThanASeasonIsRepeatedWhole()
    {
        double[] history = [3, 1, 4, 1, 5];
        var model = new SeasonalNaive();

        model.Fit(history);

        Assert.Equal([3, 1, 4, 1, 5, 3, 1, 4, 1, 5, 3, 1], model.Predict(12));
    }

    [Fact]
    public void ForecastsAreNeverNegative()
    {
        var history = Enumerable.Range(0, 2 * Week).Select(t => 10 * Math.Sin(2 * Math.PI * t / 24)).ToArray();
        var model = new SeasonalNaive();

        model.Fit(history);
        var forecast = model.Predict(Week);

        Assert.All(forecast, f => Assert.True(f >= 0));
        for (var h = 0; h < Week; h++)
        {
            Assert.Equal(Math.Max(0, history[Week + h]), forecast[h]);
        }
    }

    [Fact]
    public void OneHourGapInTheLastSeasonIsInterpolated()
    {
        var history = Enumerable.Repeat(50.0, 2 * Week).ToArray();
        history[^10] = 10;
        history[^9] = double.NaN;
        history[^8] = 20;
        var model = new SeasonalNaive();

        model.Fit(history);
        var forecast = model.Predict(Week);

        Assert.Equal(15, forecast[Week - 9], 12);
        Assert.Equal(10, forecast[Week - 10]);
        Assert.Equal(20, forecast[Week - 8]);
    }

    [Fact]
    public void LongGapInAPeriodicSeriesIsFilledWithTheSeasonAndLeadingGapsAreDropped()
    {
        var truth = Enumerable.Range(0, 3 * Week).Select(t => SyntheticSeries.Seasonal(t)).ToArray();
        var history = (double[])truth.Clone();
        for (var i = 0; i < 30; i++)
        {
            history[i] = double.NaN;
        }

        for (var i = (3 * Week) - 40; i < (3 * Week) - 20; i++)
        {
            history[i] = double.NaN;
        }

        var model = new SeasonalNaive();

        model.Fit(history);
        var forecast = model.Predict(Week);

        for (var h = 0; h < Week; h++)
        {
            Assert.Equal(truth[(2 * Week) + h], forecast[h], 9);
        }
    }

    [Fact]
    public void AllMissingHistoryCannotBeFitted()
    {
        var model = new SeasonalNaive();

        Assert.Throws<ArgumentException>(() => model.Fit([double.NaN, double.NaN]));
        Assert.Throws<InvalidOperationException>(() => model.Predict(1));
    }
}
