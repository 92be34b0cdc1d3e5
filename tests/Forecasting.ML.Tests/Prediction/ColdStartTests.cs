using Forecasting.Core.Backtesting;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Data.Samples;
using Forecasting.ML.Models;
using Forecasting.ML.Prediction;
using Forecasting.ML.Registry;
using Forecasting.ML.Training;
using Forecasting.ML.Validation;

namespace Forecasting.ML.Tests.Prediction;

/// <summary>
/// A young deployment: two weeks of the realistic sample (under the three weeks a weekly cycle needs), trained with
/// the default options, backtested as the CLI's <c>backtest --horizon 48 --folds 3</c>, forecast with series that
/// appeared after training, one of them 3 hours old.
/// </summary>
public sealed class ColdStartTests : IClassFixture<ColdStartTests.YoungChampion>
{
    private readonly YoungChampion _champion;

    public ColdStartTests(YoungChampion champion) => _champion = champion;

    [Fact]
    public void AFourteenDayHistoryTrainsWithTheDefaultOptionsOnDailyModels()
    {
        var outcome = _champion.Outcome;

        Assert.Equal(336, YoungChampion.Series.Max(s => s.Length));
        Assert.NotEmpty(outcome.Backtest.Served);
        Assert.Equal(24, outcome.Backtest.Options.Period);
        Assert.True(outcome.Backtest.Options.WarmupFolds < new BacktestOptions().WarmupFolds);
        Assert.Equal(YoungChampion.Series.Count, outcome.Manifest.Selection.Count);
        Assert.DoesNotContain(outcome.Manifest.Selection.Values, m => m is "snaive" or "ensemble" or "ensemble-n");
        Assert.Equal("snaive24", outcome.Backtest.Scores.Single(s => s.RelativeMae == 1).Model);
        Assert.True(outcome.Promoted, outcome.Decision);
    }

    [Fact]
    public void AFourteenDayHistoryBacktestsFortyEightHoursOverThreeOrigins()
    {
        var named = YoungChampion.Series.Select(s => new NamedSeries(s.Key.ToString(), s.Values, s.Start)).ToList();
        var options = new BacktestOptions { Horizon = 48, Folds = 3 };

        var result = Backtester.Run(named, EngineModels.ForHistory(336), options, null, CancellationToken.None, SeriesHierarchy.Rollups(YoungChampion.Series.Select(s => s.Key)));

        Assert.Equal(3, result.Options.Folds);
        Assert.Equal(24, result.Options.Period);
        Assert.Equal(named.Count * 3 * 48, result.Served.Count);
        Assert.Empty(result.Skipped);
        Assert.True(result.Scores.Single(s => s.Model == ModelScore.Served).RelativeMae < 1);
    }

    [Fact]
    public void EverySeriesIsForecastAThirtyHourOneToo()
    {
        var run = _champion.ForecastWithNewcomers();

        var origin = YoungChampion.Series.Max(s => s.LastHour);
        Assert.Equal(YoungChampion.Series.Count + 1, run.Series.Count);
        var young = run.Series.Single(s => s.Series == "newcomer/gpt-4.1");
        Assert.Equal(Enumerable.Range(1, 168).Select(h => origin.AddHours(h)), young.Points.Select(p => p.Hour));
        Assert.All(run.Series.SelectMany(s => s.Points), p => Assert.True(double.IsFinite(p.P90) && p.P10 >= 0 && p.P10 <= p.P50 && p.P50 <= p.P90, $"{p}"));
        // It repeats its day: its forecast follows its own 10× daily swing, not a flat line.
        Assert.True(young.Points.Max(p => p.P50) > 5 * young.Points.Min(p => p.P50));
    }

    [Fact]
    public void AThreeHourSeriesIsNamedAndDoesNotStopTheOthers()
    {
        var run = _champion.ForecastWithNewcomers();

        var skipped = Assert.Single(run.Skipped);
        Assert.Equal("infant/gpt-4.1", skipped.Series);
        Assert.Equal("too new to forecast: 3 h", skipped.Reason);
        Assert.DoesNotContain(run.Series, s => s.Series == "infant/gpt-4.1");
        Assert.All(YoungChampion.Series, s => Assert.NotNull(run.Find(s.Key.ToString())));
    }

    /// <summary>Trains one champion on two weeks of the sample, with the default backtest options.</summary>
    public sealed class YoungChampion : IDisposable
    {
        private readonly string _root = Directory.CreateTempSubdirectory("forecasting-young-").FullName;

        public YoungChampion()
        {
            Registry = new ModelRegistry(_root);
            Outcome = new Trainer(Registry, TimeProvider.System).Train(Series, ForecastTarget.Tokens, new BacktestOptions(), null, CancellationToken.None);
        }

        public static IReadOnlyList<HourlySeries> Series { get; } =
            SeriesBuilder.Build(SampleUsageGenerator.Generate(new SampleUsageOptions { Weeks = 2 }), ForecastTarget.Tokens, PriceTable.Default);

        public ModelRegistry Registry { get; }

        public TrainingOutcome Outcome { get; }

        /// <summary>The trained series plus two that appeared since: 30 hours (daily swing 100..1,000) and 3 hours, both up to the common origin.</summary>
        public Core.Forecasting.ForecastRun ForecastWithNewcomers()
        {
            var origin = Series.Max(s => s.LastHour);
            var thirty = Enumerable.Range(0, 30).Select(t => 100 + (900 * Math.Pow(Math.Sin(Math.PI * ((origin.Hour + 1 + t) % 24) / 24), 4))).ToArray();
            var all = Series
                .Append(new HourlySeries(new SeriesKey("newcomer", "gpt-4.1"), origin.AddHours(-29), thirty))
                .Append(new HourlySeries(new SeriesKey("infant", "gpt-4.1"), origin.AddHours(-2), [5, 6, 7]))
                .ToList();
            return new Predictor(Registry, TimeProvider.System).Forecast(all, ForecastTarget.Tokens, 168, CancellationToken.None)!;
        }

        public void Dispose() => Directory.Delete(_root, recursive: true);
    }
}
