using System.Text.Json;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Features;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Metrics;
using Forecasting.ML.Models.FastTree;
using Forecasting.ML.Registry;
using Forecasting.ML.Validation;
using Xunit.Abstractions;

namespace Forecasting.ML.Tests.FastTree;

/// <summary>
/// The global FastTree with the tenants' calendar (time zones, holidays), trained for real on generated usage whose
/// holidays dip: it learns the dip from past holidays and forecasts a configured future one lower; it forecasts with the
/// calendar it was trained with after a trip through the registry; and actuals after an origin never reach its forecast.
/// </summary>
public sealed class CalendarModelTests(ITestOutputHelper output)
{
    private const int Day = 24;
    private const int Week = 168;
    private const double HolidayFactor = 0.35;

    // Monday 2026-06-01; 14 weeks of history, then the forecast week.
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly int HistoryHours = 14 * Week;
    private static readonly DateTimeOffset Origin = Start.AddHours(HistoryHours - 1);

    // Weekdays: four in the history (within the training rows' last 12 weeks), one three days after the origin.
    private static readonly DateOnly[] PastHolidays = [new(2026, 6, 24), new(2026, 7, 16), new(2026, 8, 5), new(2026, 8, 27)];
    private static readonly DateOnly FutureHoliday = DateOnly.FromDateTime(Origin.AddDays(3).UtcDateTime);

    private static readonly (string Series, string Zone, double Peak)[] Tenants =
    [
        ("tutor/gpt-4.1", "America/New_York", 900_000),
        ("tutor/deepseek-v3.2", "America/New_York", 2_400_000),
        ("codegen/claude-sonnet-4.5", "Europe/Paris", 1_500_000),
        ("codegen/gpt-4.1", "Europe/Paris", 600_000),
        ("analytics/gemini-2.5-flash", "Asia/Tokyo", 3_000_000),
        ("support/gpt-4.1-mini", "UTC", 400_000),
    ];

    private static FeatureOptions Calendar(bool holidays) => new()
    {
        Holidays = holidays ? [.. PastHolidays, FutureHoliday] : [],
        ProjectTimeZones = Tenants.DistinctBy(t => t.Series[..t.Series.IndexOf('/')]).ToDictionary(t => t.Series[..t.Series.IndexOf('/')], t => t.Zone),
    };

    [Fact]
    public void AConfiguredFutureHolidayIsForecastLowerThanWithoutIt()
    {
        var (histories, futures) = Generate(seed: 41);
        var calendar = Calendar(holidays: true);
        // Guard: the generated history does dip on its holidays (about HolidayFactor of a normal weekday).
        Assert.InRange(DipInHistory(histories, calendar), 0.25, 0.5);

        var with = new GlobalFastTreeFactory(new FastTreeOptions { Features = calendar }).FitAll(histories, CancellationToken.None);
        var without = new GlobalFastTreeFactory(new FastTreeOptions { Features = Calendar(holidays: false) }).FitAll(histories, CancellationToken.None);

        double holidayWith = 0, holidayWithout = 0, otherWith = 0, otherWithout = 0, maeWith = 0, maeWithout = 0;
        for (var i = 0; i < histories.Count; i++)
        {
            var a = with[i].Predict(Week);
            var b = without[i].Predict(Week);
            var zone = calendar.CalendarOf(histories[i].Series);
            for (var h = 0; h < Week; h++)
            {
                var local = DateOnly.FromDateTime(zone.Local(Origin.AddHours(h + 1)));
                if (local == FutureHoliday)
                {
                    holidayWith += a[h];
                    holidayWithout += b[h];
                    maeWith += Math.Abs(futures[i][h] - a[h]);
                    maeWithout += Math.Abs(futures[i][h] - b[h]);
                }
                else
                {
                    otherWith += a[h];
                    otherWithout += b[h];
                }
            }
        }

        var holidayRatio = holidayWith / holidayWithout;
        var otherRatio = otherWith / otherWithout;
        output.WriteLine($"holiday with/without {holidayRatio:0.000}, other days {otherRatio:0.000}, holiday MAE with/without {maeWith / maeWithout:0.000}");
        Assert.True(holidayRatio < 0.75, $"holiday forecast with / without the holiday configured: {holidayRatio:0.000} (other days {otherRatio:0.000})");
        Assert.InRange(otherRatio, 0.9, 1.1);
        // And it is the better forecast of what the generated holiday brought.
        Assert.True(maeWith < 0.7 * maeWithout, $"holiday MAE {maeWith / 24 / histories.Count:N0} with vs {maeWithout / 24 / histories.Count:N0} without");
    }

    [Fact]
    public void AModelForecastsWithTheCalendarItWasTrainedWithAfterTheRegistryRoundTrip()
    {
        var (histories, _) = Generate(seed: 42);
        var options = new FastTreeOptions { NumberOfTrees = 60, Seed = 7, Features = Calendar(holidays: true) };
        var model = new GlobalFastTreeFactory(options).Train(histories, CancellationToken.None);
        // As the trainer records it in the manifest and the predictor reads it back.
        var recorded = JsonSerializer.Deserialize<FastTreeOptions>(JsonSerializer.Serialize(options, ModelRegistry.Json), ModelRegistry.Json)!;
        var path = Path.Combine(Path.GetTempPath(), $"fasttree-calendar-{Guid.NewGuid():N}.zip");
        try
        {
            model.Save(path);
            var loaded = GlobalFastTreeModel.Load(path, recorded);

            Assert.Equal(options.Features.CalendarDescription(), recorded.Features.CalendarDescription());
            foreach (var history in histories)
            {
                Assert.Equal(model.Bind(history).Predict(Week), loaded.Bind(history).Predict(Week));
            }

            // The same series read in UTC (no calendar recorded) is another forecast: the calendar is what made them equal.
            var utc = GlobalFastTreeModel.Load(path, recorded with { Features = new FeatureOptions() });
            Assert.NotEqual(model.Bind(histories[0]).Predict(Week), utc.Bind(histories[0]).Predict(Week));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ActualsAfterAnOriginDoNotChangeTheBacktestForecastsMadeAtIt()
    {
        var (histories, _) = Generate(seed: 43);
        var series = histories.Select(h => new NamedSeries(h.Series!, h.Values.ToArray(), h.Start)).ToList();
        // The same usage, except that the last day (after the earlier origin's horizon) is a holiday-like collapse.
        var changed = series.Select(s => s with { Values = [.. s.Values.Select((v, t) => t >= s.Values.Length - Day ? v * 0.1 : v)] }).ToList();
        var models = new IForecasterFactory[] { new GlobalFastTreeFactory(new FastTreeOptions { NumberOfTrees = 60, Seed = 7, Features = Calendar(holidays: true) }) };
        var options = new BacktestOptions { Horizon = Day, Folds = 1, WarmupFolds = 1, Step = Day };

        var before = Backtester.Run(series, models, options, null, CancellationToken.None).Points.Where(p => p.Model == "fasttree").ToList();
        var after = Backtester.Run(changed, models, options, null, CancellationToken.None).Points.Where(p => p.Model == "fasttree").ToList();

        var earlier = before.Min(p => p.Fold);
        Assert.Equal(
            before.Where(p => p.Fold == earlier).Select(p => (p.Series, p.Step, p.Forecast)),
            after.Where(p => p.Fold == earlier).Select(p => (p.Series, p.Step, p.Forecast)));
        // The later origin saw no change either (its history ends where the change starts), but its actuals differ.
        var later = before.Max(p => p.Fold);
        Assert.Equal(
            before.Where(p => p.Fold == later).Select(p => p.Forecast),
            after.Where(p => p.Fold == later).Select(p => p.Forecast));
        Assert.NotEqual(
            before.Where(p => p.Fold == later).Select(p => p.Actual),
            after.Where(p => p.Fold == later).Select(p => p.Actual));
    }

    /// <summary>
    /// Hourly tokens of each tenant in its own time zone: a working-day profile, quieter weekends, 1.5 % weekly growth,
    /// multiplicative noise (12 %), and holidays at <see cref="HolidayFactor"/> of the level.
    /// </summary>
    private static (List<SeriesHistory> Histories, List<double[]> Futures) Generate(int seed)
    {
        var random = new Random(seed);
        var holidays = Calendar(holidays: true);
        var histories = new List<SeriesHistory>();
        var futures = new List<double[]>();
        foreach (var (series, _, peak) in Tenants)
        {
            var calendar = holidays.CalendarOf(series);
            var values = new double[HistoryHours + Week];
            for (var t = 0; t < values.Length; t++)
            {
                var local = calendar.Local(Start.AddHours(t));
                var hour = local.Hour + (local.Minute / 60.0);
                var daily = 0.15 + (0.85 * Math.Exp(-Math.Pow((hour - 14) / 4.0, 2)));
                var weekend = local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.45 : 1;
                var holiday = calendar.IsHoliday(local) ? HolidayFactor : 1;
                var noise = Math.Exp((0.12 * Gaussian(random)) - (0.5 * 0.12 * 0.12));
                values[t] = Math.Round(peak * daily * weekend * holiday * Math.Pow(1.015, t / (double)Week) * noise);
            }

            histories.Add(new SeriesHistory(values.AsMemory(0, HistoryHours), Start, series));
            futures.Add(values[HistoryHours..]);
        }

        return (histories, futures);
    }

    /// <summary>Mean of the holiday hours over the mean of the same weekday hours a week before, across the history.</summary>
    private static double DipInHistory(List<SeriesHistory> histories, FeatureOptions calendar)
    {
        double holiday = 0, normal = 0;
        foreach (var history in histories)
        {
            var zone = calendar.CalendarOf(history.Series);
            var values = history.Values.Span;
            for (var t = Week; t < values.Length; t++)
            {
                if (PastHolidays.Contains(DateOnly.FromDateTime(zone.Local(Start.AddHours(t)))))
                {
                    holiday += values[t];
                    normal += values[t - Week];
                }
            }
        }

        return holiday / normal;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
