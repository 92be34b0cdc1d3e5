using Forecasting.Core.Features;

namespace Forecasting.Core.Tests.Features;

/// <summary>Calendar features in each project's time zone, with its holidays: shifted flags, DST, holidays, leakage and parity.</summary>
public sealed class CalendarFeatureTests
{
    private const string NewYork = "America/New_York";

    private static readonly FeatureOptions Options = new()
    {
        Holidays = [new DateOnly(2026, 1, 1)],
        ProjectHolidays = new Dictionary<string, IReadOnlyList<DateOnly>> { ["tutor"] = [new DateOnly(2026, 3, 9), new DateOnly(2026, 11, 26)] },
        ProjectTimeZones = new Dictionary<string, string> { ["tutor"] = NewYork },
    };

    [Fact]
    public void WeekendAndBusinessHoursFollowTheProjectsZone()
    {
        var pipeline = new FeaturePipeline(Options);
        var newYork = pipeline.CalendarOf("tutor/gpt-4.1");
        var utc = pipeline.CalendarOf("analytics/gpt-4.1");
        var history = SyntheticSeries.Traffic(pipeline.MinHistory, noise: 1, seed: 31);

        // Monday 2026-01-12 12:00Z is 07:00 in New York (EST, UTC-5): business hours in UTC, not yet in New York.
        var monday = new DateTimeOffset(2026, 1, 12, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(1, Feature(pipeline, history, monday, utc, "business_hour"));
        Assert.Equal(0, Feature(pipeline, history, monday, newYork, "business_hour"));
        Assert.Equal(1, Feature(pipeline, history, monday.AddHours(1), newYork, "business_hour"));
        // 22:00Z is 17:00 in New York (still open), after hours in UTC.
        Assert.Equal(0, Feature(pipeline, history, monday.AddHours(10), utc, "business_hour"));
        Assert.Equal(1, Feature(pipeline, history, monday.AddHours(10), newYork, "business_hour"));
        // Saturday 2026-01-17 03:00Z is still Friday 22:00 in New York.
        var saturday = new DateTimeOffset(2026, 1, 17, 3, 0, 0, TimeSpan.Zero);
        Assert.Equal(1, Feature(pipeline, history, saturday, utc, "weekend"));
        Assert.Equal(0, Feature(pipeline, history, saturday, newYork, "weekend"));
        Assert.Equal(1, Feature(pipeline, history, saturday.AddHours(2), newYork, "weekend"));
        // Hour of day is local: 12:00Z is hour 7 in New York.
        Assert.Equal(Math.Sin(2 * Math.PI * 7 / 24), Feature(pipeline, history, monday, newYork, "hour_sin"), 5);
        Assert.Equal(Math.Sin(2 * Math.PI * 12 / 24), Feature(pipeline, history, monday, utc, "hour_sin"), 5);
    }

    [Fact]
    public void DaylightSavingTransitionsShiftTheLocalHoursWithoutLosingOrRepeatingARow()
    {
        // 2026-03-08: New York springs forward (02:00 EST -> 03:00 EDT at 07:00Z); 2026-11-01: falls back (02:00 EDT -> 01:00 EST at 06:00Z).
        var pipeline = new FeaturePipeline(Options);
        var calendar = pipeline.CalendarOf("tutor/m");
        foreach (var (day, localHours) in new[] { (new DateTimeOffset(2026, 3, 8, 0, 0, 0, TimeSpan.Zero), 23), (new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), 25) })
        {
            var start = day.AddHours(-pipeline.MinHistory - 24);
            var y = SyntheticSeries.Traffic(pipeline.MinHistory + 96, noise: 1, seed: 32);

            var rows = pipeline.Transform(y, start, 0, calendar);

            Assert.Equal(96, rows.Length);
            var hours = rows.Select(r => LocalHour(pipeline, r)).ToList();
            var local = Enumerable.Range(0, 96).Select(i => TimeZoneInfo.ConvertTime(start.AddHours(pipeline.MinHistory + i), calendar.Zone)).ToList();
            // Each UTC hour is one row, whose hour of day is the wall clock's: 23 rows on the spring day, 25 on the autumn day.
            Assert.Equal(local.Select(l => l.Hour), hours);
            Assert.Equal(localHours, local.Count(l => DateOnly.FromDateTime(l.DateTime) == DateOnly.FromDateTime(day.DateTime)));
            if (localHours == 23)
            {
                Assert.DoesNotContain(2, local.Where(l => l.Day == 8).Select(l => l.Hour));
            }
            else
            {
                Assert.Equal(2, local.Count(l => l.Day == 1 && l.Hour == 1));
            }
        }

        // Business hours open at 13:00Z on Friday 2026-03-06 (EST) and at 12:00Z on Tuesday 2026-03-10 (EDT).
        var history = SyntheticSeries.Traffic(pipeline.MinHistory, noise: 1, seed: 33);
        Assert.Equal(13, FirstBusinessHour(pipeline, history, calendar, new DateTimeOffset(2026, 3, 6, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(12, FirstBusinessHour(pipeline, history, calendar, new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(8, FirstBusinessHour(pipeline, history, pipeline.CalendarOf("other/m"), new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void HolidayIsOneExactlyOnTheProjectsLocalHolidayDates()
    {
        var pipeline = new FeaturePipeline(Options);
        var start = new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var length = 24 * 120;
        var y = SyntheticSeries.Traffic(length, noise: 1, seed: 34);
        var column = pipeline.Names.ToList().IndexOf("holiday");

        foreach (var series in new[] { "tutor/gpt-4.1", "tutor/*", "analytics/gpt-4.1", "*/*" })
        {
            var calendar = pipeline.CalendarOf(series);
            var rows = pipeline.Transform(y, start, 0, calendar);
            var holidays = series.StartsWith("tutor", StringComparison.Ordinal)
                ? new[] { new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 9) }
                : [new DateOnly(2026, 1, 1)];
            var flagged = 0;
            for (var i = 0; i < rows.Length; i++)
            {
                var hour = start.AddHours(pipeline.MinHistory + i);
                var localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(hour, calendar.Zone).DateTime);
                var expected = holidays.Contains(localDate) ? 1 : 0;
                Assert.True(expected == rows[i][column], $"{series} {hour:u} (local {localDate}): holiday {rows[i][column]}, expected {expected}");
                flagged += expected;
            }

            // Whole local days, none missed: New Year's Day is 24 local hours, 05:00Z to 04:00Z the next day in New York.
            Assert.Equal(24 * holidays.Length, flagged);
        }

        var newYork = pipeline.CalendarOf("tutor/m");
        var history = SyntheticSeries.Traffic(pipeline.MinHistory, noise: 1, seed: 35);
        Assert.Equal(0, Feature(pipeline, history, new DateTimeOffset(2026, 1, 1, 4, 0, 0, TimeSpan.Zero), newYork, "holiday"));
        Assert.Equal(1, Feature(pipeline, history, new DateTimeOffset(2026, 1, 1, 5, 0, 0, TimeSpan.Zero), newYork, "holiday"));
        Assert.Equal(1, Feature(pipeline, history, new DateTimeOffset(2026, 1, 2, 4, 0, 0, TimeSpan.Zero), newYork, "holiday"));
        Assert.Equal(0, Feature(pipeline, history, new DateTimeOffset(2026, 1, 2, 5, 0, 0, TimeSpan.Zero), newYork, "holiday"));
    }

    [Fact]
    public void TrainingAndForecastingRowsAreIdenticalInTheSeriesCalendar()
    {
        // Parity across both DST changes and the holidays: the batch rows (training) and the one-step rows (forecasting).
        var pipeline = new FeaturePipeline(Options);
        var calendar = pipeline.CalendarOf("tutor/gpt-4.1");
        var start = new DateTimeOffset(2026, 1, 20, 0, 0, 0, TimeSpan.Zero);
        var y = SyntheticSeries.Traffic(24 * 320, noise: 5, seed: 36);

        var rows = pipeline.Transform(y, start, 0, calendar);

        var output = new float[pipeline.Count];
        var calendarColumns = pipeline.Names.Select((n, i) => (n, i)).Where(x => x.n is "hour_sin" or "weekend" or "business_hour" or "holiday").ToList();
        var holidayRows = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var t = pipeline.MinHistory + i;
            pipeline.Update(y.AsSpan(0, t), start.AddHours(t), output, calendar);
            for (var k = 0; k < pipeline.Count; k++)
            {
                Assert.True(Math.Abs(rows[i][k] - output[k]) <= 1e-4 * Math.Max(1, Math.Abs(output[k])), $"t={t} {pipeline.Names[k]}: {rows[i][k]} vs {output[k]}");
            }

            foreach (var (_, column) in calendarColumns)
            {
                Assert.Equal(rows[i][column], output[column]);
            }

            holidayRows += output[pipeline.Names.ToList().IndexOf("holiday")] == 1 ? 1 : 0;
        }

        Assert.Equal(48, holidayRows); // 2026-03-09 and 2026-11-26, New York days
    }

    [Fact]
    public void ActualsAfterTheOriginChangeNoFeatureOfTheHoursUpToIt()
    {
        // Leakage: the row of hour t (what a forecast from origin t - 1 sees) is the calendar of t and the values before t.
        var pipeline = new FeaturePipeline(Options);
        var calendar = pipeline.CalendarOf("tutor/m");
        var start = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var y = SyntheticSeries.Traffic(24 * 70, noise: 5, seed: 37);
        var origin = 24 * 56; // 2026-11-26 00:00Z, the eve of the New York Thanksgiving
        var changed = (double[])y.Clone();
        for (var i = origin + 1; i < y.Length; i++)
        {
            changed[i] = 0;
        }

        var before = pipeline.Transform(y, start, 0, calendar);
        var after = pipeline.Transform(changed, start, 0, calendar);

        for (var t = pipeline.MinHistory; t <= origin + 1; t++)
        {
            Assert.Equal(before[t - pipeline.MinHistory], after[t - pipeline.MinHistory]);
        }

        Assert.NotEqual(before[origin + 2 - pipeline.MinHistory], after[origin + 2 - pipeline.MinHistory]);
        // The one-step row for the hours after the origin, made from the history up to it, knows the holiday in advance.
        var row = new float[pipeline.Count];
        pipeline.Update(y.AsSpan(0, origin + 1), start.AddHours(origin + 6), row, calendar);
        Assert.Equal(1, row[pipeline.Names.ToList().IndexOf("holiday")]);
    }

    [Fact]
    public void WithoutTheCalendarFeaturesEveryCalendarIsUtc()
    {
        var pipeline = new FeaturePipeline(Options with { Calendar = false });

        Assert.Same(SeriesCalendar.Utc, pipeline.CalendarOf("tutor/m"));
        Assert.DoesNotContain("holiday", pipeline.Names);
    }

    private static float Feature(FeaturePipeline pipeline, double[] history, DateTimeOffset hour, SeriesCalendar calendar, string name)
    {
        var row = new float[pipeline.Count];
        pipeline.Update(history, hour, row, calendar);
        return row[pipeline.Names.ToList().IndexOf(name)];
    }

    private static int LocalHour(FeaturePipeline pipeline, float[] row)
    {
        var names = pipeline.Names.ToList();
        var angle = Math.Atan2(row[names.IndexOf("hour_sin")], row[names.IndexOf("hour_cos")]);
        return (int)Math.Round((angle < 0 ? angle + (2 * Math.PI) : angle) * 24 / (2 * Math.PI)) % 24;
    }

    private static int FirstBusinessHour(FeaturePipeline pipeline, double[] history, SeriesCalendar calendar, DateTimeOffset day) =>
        Enumerable.Range(0, 24).First(h => Feature(pipeline, history, day.AddHours(h), calendar, "business_hour") == 1);
}
