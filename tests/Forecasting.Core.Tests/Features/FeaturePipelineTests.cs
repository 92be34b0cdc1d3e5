using Forecasting.Core.Features;

namespace Forecasting.Core.Tests.Features;

public sealed class FeaturePipelineTests
{
    private const int Length = 1000;
    private const int Week = 168;

    // A Monday at midnight, so hour t of the series has a known weekday.
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TransformAndUpdateGiveTheSameFeatures()
    {
        var y = SyntheticSeries.Traffic(Length, noise: 5, seed: 11);
        var pipeline = new FeaturePipeline(new FeatureOptions { Holidays = [new(2026, 1, 30)] });

        var rows = pipeline.Transform(y, Start, 0);

        Assert.Equal(Length - pipeline.MinHistory, rows.Length);
        var output = new float[pipeline.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var t = pipeline.MinHistory + i;
            pipeline.Update(y.AsSpan(0, t), Start.AddHours(t), output);
            for (var k = 0; k < pipeline.Count; k++)
            {
                var tolerance = 1e-4 * Math.Max(1, Math.Abs(output[k]));
                Assert.True(
                    Math.Abs(rows[i][k] - output[k]) <= tolerance,
                    $"t={t} {pipeline.Names[k]}: transform {rows[i][k]} vs update {output[k]}");
            }
        }
    }

    [Fact]
    public void ChangingTheFutureDoesNotChangeEarlierRows()
    {
        var y = SyntheticSeries.Traffic(Length, noise: 5, seed: 12);
        var pipeline = new FeaturePipeline(new FeatureOptions());
        const int t = 800;
        var changed = (double[])y.Clone();
        var random = new Random(13);
        for (var i = t; i < Length; i++)
        {
            changed[i] = 1000 + (1000 * random.NextDouble());
        }

        var before = pipeline.Transform(y, Start, 0);
        var after = pipeline.Transform(changed, Start, 0);

        for (var row = pipeline.MinHistory; row <= t; row++)
        {
            Assert.Equal(before[row - pipeline.MinHistory], after[row - pipeline.MinHistory]);
        }

        // The change is real: the next row's lag_1 is the changed y[t].
        Assert.NotEqual(before[t + 1 - pipeline.MinHistory], after[t + 1 - pipeline.MinHistory]);
        Assert.Equal((float)changed[t], after[t + 1 - pipeline.MinHistory][pipeline.Names.ToList().IndexOf("lag_1")]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NamesHaveOneEntryPerColumn(bool calendar)
    {
        var pipeline = new FeaturePipeline(new FeatureOptions { Calendar = calendar });
        var y = SyntheticSeries.Traffic(pipeline.MinHistory + 3, noise: 1, seed: 14);

        var rows = pipeline.Transform(y, Start, 0);

        Assert.Equal(3, rows.Length);
        Assert.All(rows, row => Assert.Equal(pipeline.Names.Count, row.Length));
        Assert.Equal(pipeline.Names.Count, pipeline.Names.Distinct().Count());
        // Lags 6 + 4 windows × 3 + 3 seasonal, plus 7 calendar columns when on.
        Assert.Equal(6 + 12 + 3 + (calendar ? 7 : 0), pipeline.Names.Count);
    }

    [Fact]
    public void ValueFeaturesFollowTheirDefinitions()
    {
        var pipeline = new FeaturePipeline(new FeatureOptions { Calendar = false, SameHourWeeks = 4 });
        var history = SyntheticSeries.Traffic(pipeline.MinHistory + 50, noise: 5, seed: 15);
        var t = history.Length;
        var row = new float[pipeline.Count];

        pipeline.Update(history, null, row);

        var window = history[(t - 6)..];
        var mean6 = window.Average();
        var std6 = Math.Sqrt(window.Sum(v => (v - mean6) * (v - mean6)) / 6);
        var sameHour4w = (history[t - Week] + history[t - (2 * Week)] + history[t - (3 * Week)] + history[t - (4 * Week)]) / 4;
        var sameHour7d = Enumerable.Range(1, 7).Average(d => history[t - (24 * d)]);
        var growth = (history[(t - 24)..].Sum() / history[(t - Week - 24)..(t - Week)].Sum()) - 1;
        AssertFeature(pipeline, row, "lag_1", history[t - 1]);
        AssertFeature(pipeline, row, "lag_168", history[t - Week]);
        AssertFeature(pipeline, row, "mean_6", mean6);
        AssertFeature(pipeline, row, "std_6", std6);
        AssertFeature(pipeline, row, "max_6", window.Max());
        AssertFeature(pipeline, row, "same_hour_mean_4w", sameHour4w);
        AssertFeature(pipeline, row, "same_hour_mean_7d", sameHour7d);
        AssertFeature(pipeline, row, "growth_24h_vs_last_week", growth);
    }

    [Fact]
    public void CalendarFeaturesDescribeASaturdayMorning()
    {
        var pipeline = new FeaturePipeline(new FeatureOptions());
        var history = SyntheticSeries.Traffic(pipeline.MinHistory, noise: 1, seed: 16);
        var saturday = new DateTimeOffset(2026, 1, 10, 6, 0, 0, TimeSpan.Zero);
        var row = new float[pipeline.Count];

        pipeline.Update(history, saturday, row);

        // Saturday is day 6 counting from Sunday: hour of week 6·24 + 6 = 150.
        var dayAngle = 2 * Math.PI * 150 / Week;
        AssertFeature(pipeline, row, "hour_sin", Math.Sin(2 * Math.PI * 6 / 24));
        AssertFeature(pipeline, row, "hour_cos", Math.Cos(2 * Math.PI * 6 / 24));
        AssertFeature(pipeline, row, "dow_sin", Math.Sin(dayAngle));
        AssertFeature(pipeline, row, "dow_cos", Math.Cos(dayAngle));
        AssertFeature(pipeline, row, "weekend", 1);
        AssertFeature(pipeline, row, "business_hour", 0);
        AssertFeature(pipeline, row, "holiday", 0);
    }

    [Fact]
    public void CalendarFeaturesDescribeAWeekdayBusinessHourGivenWithAnOffset()
    {
        var pipeline = new FeaturePipeline(new FeatureOptions());
        var history = SyntheticSeries.Traffic(pipeline.MinHistory, noise: 1, seed: 17);

        // 11:00 at +02:00 is Monday 09:00 UTC.
        var monday = new DateTimeOffset(2026, 1, 12, 11, 0, 0, TimeSpan.FromHours(2));
        var row = new float[pipeline.Count];

        pipeline.Update(history, monday, row);

        AssertFeature(pipeline, row, "hour_sin", Math.Sin(2 * Math.PI * 9 / 24));
        AssertFeature(pipeline, row, "dow_sin", Math.Sin(2 * Math.PI * (24 + 9) / Week));
        AssertFeature(pipeline, row, "weekend", 0);
        AssertFeature(pipeline, row, "business_hour", 1);
    }

    [Fact]
    public void ConfiguredHolidayIsFlaggedAllDayAndOnlyThatDay()
    {
        var holiday = new DateOnly(2026, 1, 12);
        var pipeline = new FeaturePipeline(new FeatureOptions { Holidays = [holiday] });
        var history = SyntheticSeries.Traffic(pipeline.MinHistory, noise: 1, seed: 18);
        var row = new float[pipeline.Count];
        var column = pipeline.Names.ToList().IndexOf("holiday");

        pipeline.Update(history, new DateTimeOffset(2026, 1, 12, 0, 0, 0, TimeSpan.Zero), row);
        Assert.Equal(1, row[column]);
        pipeline.Update(history, new DateTimeOffset(2026, 1, 12, 23, 0, 0, TimeSpan.Zero), row);
        Assert.Equal(1, row[column]);
        pipeline.Update(history, new DateTimeOffset(2026, 1, 13, 0, 0, 0, TimeSpan.Zero), row);
        Assert.Equal(0, row[column]);
        pipeline.Update(history, new DateTimeOffset(2026, 1, 11, 23, 0, 0, TimeSpan.Zero), row);
        Assert.Equal(0, row[column]);
    }

    [Fact]
    public void UpdateThrowsForTooShortHistory()
    {
        var pipeline = new FeaturePipeline(new FeatureOptions { Calendar = false });
        var history = new double[pipeline.MinHistory - 1];
        var row = new float[pipeline.Count];

        Assert.Throws<ArgumentException>(() => pipeline.Update(history, null, row));
    }

    [Fact]
    public void CalendarFeaturesWithoutAnHourThrow()
    {
        var pipeline = new FeaturePipeline(new FeatureOptions());
        var history = new double[pipeline.MinHistory];
        var row = new float[pipeline.Count];

        Assert.Throws<ArgumentException>(() => pipeline.Update(history, null, row));
    }

    [Fact]
    public void TransformOfTooShortHistoryIsEmpty()
    {
        var pipeline = new FeaturePipeline(new FeatureOptions());

        Assert.Empty(pipeline.Transform(new double[pipeline.MinHistory], Start, 0));
        Assert.Single(pipeline.Transform(new double[pipeline.MinHistory + 1], Start, 0));
    }

    [Fact]
    public void MinHistoryCoversTheLongestLookBack()
    {
        // Four weeks of same-hour means reach back 4 × 168 hours, further than any lag or window.
        Assert.Equal(4 * Week, new FeaturePipeline(new FeatureOptions { SameHourWeeks = 4 }).MinHistory);
        Assert.Equal(Week + 24, new FeaturePipeline(new FeatureOptions { SameHourWeeks = 1 }).MinHistory);
    }

    private static void AssertFeature(FeaturePipeline pipeline, float[] row, string name, double expected)
    {
        var index = pipeline.Names.ToList().IndexOf(name);
        Assert.True(index >= 0, $"no feature {name}");
        Assert.True(
            Math.Abs(row[index] - expected) <= 1e-4 * Math.Max(1, Math.Abs(expected)),
            $"{name}: {row[index]} vs expected {expected}");
    }
}
