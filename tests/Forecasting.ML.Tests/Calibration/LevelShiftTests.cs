using Forecasting.Core.Backtesting;
using Forecasting.Core.Series;
using Forecasting.ML.Calibration;
using Forecasting.ML.Models;
using Forecasting.ML.Prediction;
using Forecasting.ML.Registry;
using Forecasting.ML.Training;
using Forecasting.ML.Validation;

namespace Forecasting.ML.Tests.Calibration;

/// <summary>
/// A tenant whose traffic collapses or steps up: the engine's real models, the served backtest and the predictor follow
/// the new level, and what is served stays within the recent range's bound (<see cref="RecentRange"/>).
/// </summary>
public sealed class LevelShiftTests
{
    private const int Day = 24;
    private const int Week = 168;
    private const int Horizon = 48;
    private const double OldLevel = 500_000;
    private const double NewLevel = 500;
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ACollapseAWeekBeforeTheOriginIsDetectedAtItsHourWithItsRatio()
    {
        var values = Collapsing(6 * Week, Week, seed: 1);

        var shift = LevelShift.Detect(values);

        Assert.NotNull(shift);
        Assert.Equal(values.Length - Week, shift.Value.Start);
        Assert.InRange(shift.Value.Ratio, 0.0005, 0.002);
    }

    [Fact]
    public void AWeeklyPatternOrOneBurstDayIsNoShift()
    {
        // Weekends at a third of weekdays, and one day at ten times the level: neither held a new level for two days.
        var values = new double[8 * Week];
        var random = new Random(3);
        for (var t = 0; t < values.Length; t++)
        {
            values[t] = Level(t, 1000, random) * ((t / Day % 7) >= 5 ? 0.33 : 1);
        }

        for (var t = values.Length - (2 * Day); t < values.Length - Day; t++)
        {
            values[t] *= 10;
        }

        Assert.Null(LevelShift.Detect(values));

        // Two days at five times the level ten days ago (a launch, a campaign), then the usual level again: the quiet
        // after it is no collapse, and the models read their history as it is.
        for (var t = values.Length - (10 * Day); t < values.Length - (8 * Day); t++)
        {
            values[t] *= 5;
        }

        Assert.Null(LevelShift.Detect(values));
        Assert.Equal(values, LevelShift.Adjust(values).ToArray());
    }

    [Fact]
    public void AfterACollapseTheEnginesMediansAndSsaForecastTheNewLevel()
    {
        var values = Collapsing(7 * Week, Week, seed: 2);
        foreach (var factory in EngineModels.ForHistory(values.Length).Where(f => f.Name is "smedian" or "ssa"))
        {
            var forecast = factory.FitAll([new Core.Forecasting.SeriesHistory(values, Start, "acme/gpt")], CancellationToken.None)[0].Predict(Horizon);

            for (var h = 0; h < Horizon; h++)
            {
                var level = Pattern(values.Length + h) * NewLevel;
                Assert.InRange(forecast[h], level / 3, level * 3);
            }
        }
    }

    [Fact]
    public void TheServedBacktestFollowsACollapseAndItsP90StaysWithinTheBound()
    {
        // Collapsed a week before the last scored origin; the scored origins are 5, 6 and 7 days after it.
        var values = Collapsing(6 * Week, Week + Horizon, seed: 4);
        var result = Backtester.Run([new NamedSeries("acme/gpt", values, Start)], EngineModels.ForHistory(values.Length), Options, null, CancellationToken.None);

        Assert.NotEmpty(result.Served);
        foreach (var p in result.Served)
        {
            var level = Pattern(p.Origin + p.Step) * NewLevel;
            Assert.InRange(p.Forecast, level / 5, level * 5);
            Assert.True(p.P90 <= RecentRange.Ceiling(values.AsSpan(0, p.Origin + 1)), $"p90 {p.P90} above the bound at origin {p.Origin} step {p.Step}");
        }

        Assert.Equal(0, result.Scores.Single(s => s.Model == ModelScore.Served).P90AboveHistoryMax);
    }

    [Fact]
    public void TheServedBacktestFollowsAFiveFoldStepUp()
    {
        // At 100k an hour, then 500k for the last five days (three before the first scored origin).
        var values = Shifted(6 * Week, (5 * Day) + Horizon, 5, seed: 5);
        var result = Backtester.Run([new NamedSeries("acme/gpt", values, Start)], EngineModels.ForHistory(values.Length), Options, null, CancellationToken.None);

        foreach (var origin in result.Served.GroupBy(p => p.Origin))
        {
            var served = origin.Sum(p => p.Forecast);
            var newLevel = origin.Sum(p => Pattern(p.Origin + p.Step) * 5 * OldLevel);
            Assert.InRange(served / newLevel, 0.7, 1.4);
        }
    }

    [Fact]
    public void ThePredictorFollowsACollapseAndBoundsEveryModelItCanServe()
    {
        var values = Collapsing(6 * Week, Week, seed: 6);
        var series = new HourlySeries(new SeriesKey("acme", "gpt"), Start, values);
        var root = Directory.CreateTempSubdirectory("forecasting-level-shift-").FullName;
        try
        {
            var registry = new ModelRegistry(root);
            var manifest = new Trainer(registry, TimeProvider.System).Train([series], ForecastTarget.Tokens, Options, null, CancellationToken.None).Manifest;
            var ceiling = RecentRange.Ceiling(values);
            Assert.InRange(ceiling, 2 * 400, 2 * 2000);

            var champion = new Predictor(registry, TimeProvider.System).Forecast([series], ForecastTarget.Tokens, Horizon, CancellationToken.None)!.Find("acme/gpt")!;
            for (var h = 0; h < Horizon; h++)
            {
                var level = Pattern(values.Length + h) * NewLevel;
                Assert.InRange(champion.Points[h].P50, level / 5, level * 5);
            }

            // Every model the engine can serve, and a combination of SSA with the naive that reads the old level.
            var tree = Path.Combine(registry.VersionFolder("global-tokens", manifest.Version), ModelRegistry.FastTreeFile);
            var models = EngineModels.ForServing(null).Select(m => m.Name).Append("combination(ssa 0.5; snaive 0.5)").ToList();
            foreach (var model in models)
            {
                var version = registry.Register("global-tokens", manifest with { Selection = new(manifest.Selection) { ["acme/gpt"] = model } }, folder =>
                {
                    if (File.Exists(tree))
                    {
                        File.Copy(tree, Path.Combine(folder, ModelRegistry.FastTreeFile));
                    }
                });
                registry.SetChampion("global-tokens", version.Version, "test", DateTimeOffset.UnixEpoch);
                var served = new Predictor(registry, TimeProvider.System).Forecast([series], ForecastTarget.Tokens, Horizon, CancellationToken.None)!.Find("acme/gpt")!;
                Assert.Equal(model, served.Model);
                Assert.All(served.Points, p =>
                {
                    Assert.True(p.P50 <= ceiling, $"{model}: p50 {p.P50} above {ceiling}");
                    Assert.True(p.P90 <= ceiling, $"{model}: p90 {p.P90} above {ceiling}");
                });
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static BacktestOptions Options => new() { Horizon = Horizon, Folds = 3, WarmupFolds = 2 };

    /// <summary>A daily and weekly pattern around 1: busy afternoons, quieter weekends.</summary>
    private static double Pattern(int t) => (1 + (0.4 * Math.Sin(2 * Math.PI * (t - 6) / Day))) * ((t / Day % 7) >= 5 ? 0.6 : 1);

    private static double Level(int t, double level, Random random) => level * Pattern(t) * (1 + (0.1 * SyntheticSeries.Gaussian(random)));

    /// <summary><paramref name="before"/> hours at ~500k an hour, then <paramref name="after"/> at ~500 (1,000 times less).</summary>
    private static double[] Collapsing(int before, int after, int seed) => Shifted(before, after, NewLevel / OldLevel, seed);

    private static double[] Shifted(int before, int after, double ratio, int seed)
    {
        var random = new Random(seed);
        var values = new double[before + after];
        for (var t = 0; t < values.Length; t++)
        {
            values[t] = Math.Max(0, Level(t, t < before ? OldLevel : OldLevel * ratio, random));
        }

        return values;
    }
}
