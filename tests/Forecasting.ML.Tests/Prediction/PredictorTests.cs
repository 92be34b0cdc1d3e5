using Forecasting.Core.Backtesting;
using Forecasting.Core.Series;
using Forecasting.ML.Prediction;
using Forecasting.ML.Registry;
using Forecasting.ML.Tests.Support;
using Forecasting.ML.Training;

namespace Forecasting.ML.Tests.Prediction;

/// <summary>The predictor serving a real trained champion (trained once for the class).</summary>
public sealed class PredictorTests : IClassFixture<PredictorTests.Champion>
{
    private readonly Champion _champion;

    public PredictorTests(Champion champion) => _champion = champion;

    [Fact]
    public void WithoutAChampionThereIsNoForecast()
    {
        var empty = new ModelRegistry(Path.Combine(Path.GetTempPath(), $"empty-{Guid.NewGuid():N}"));

        Assert.Null(new Predictor(empty, TimeProvider.System).Forecast(SampleSeries.WithRollups, ForecastTarget.Tokens, 168, CancellationToken.None));
    }

    [Fact]
    public void EverySeriesGets168HourlyPointsAfterTheCommonOrigin()
    {
        var run = _champion.Forecast(168);

        var origin = SampleSeries.WithRollups.Max(s => s.LastHour);
        Assert.Equal(origin, run.Origin);
        Assert.Equal(SampleSeries.WithRollups.Count, run.Series.Count);
        Assert.All(run.Series, s => Assert.Equal(Enumerable.Range(1, 168).Select(h => origin.AddHours(h)), s.Points.Select(p => p.Hour)));
        Assert.Equal(_champion.Version, run.ModelVersion);
    }

    [Fact]
    public void RollUpsAddUpToTheirLeaves()
    {
        var run = _champion.Forecast(168);
        var leaves = run.Series.Where(s => SeriesKey.Parse(s.Series).IsLeaf).ToList();

        foreach (var rollup in run.Series.Where(s => !SeriesKey.Parse(s.Series).IsLeaf))
        {
            var key = SeriesKey.Parse(rollup.Series);
            var members = leaves.Where(l => key.Contains(SeriesKey.Parse(l.Series))).ToList();
            Assert.NotEmpty(members);
            for (var h = 0; h < 168; h++)
            {
                var sum = members.Sum(m => m.Points[h].P50);
                Assert.Equal(sum, rollup.Points[h].P50, sum * 1e-9);
            }
        }

        // Per-model and per-project roll-ups both add up to the total.
        var total = run.Find("*/*")!;
        var perModel = run.Series.Where(s => s.Series.StartsWith("*/", StringComparison.Ordinal) && s.Series != "*/*").ToList();
        var perProject = run.Series.Where(s => s.Series.EndsWith("/*", StringComparison.Ordinal) && s.Series != "*/*").ToList();
        Assert.Equal(total.Points[0].P50, perModel.Sum(s => s.Points[0].P50), total.Points[0].P50 * 1e-9);
        Assert.Equal(total.Points[0].P50, perProject.Sum(s => s.Points[0].P50), total.Points[0].P50 * 1e-9);
    }

    [Fact]
    public void IntervalsHoldTheMedianAndNothingIsNegative()
    {
        var run = _champion.Forecast(168);

        Assert.All(run.Series.SelectMany(s => s.Points), p =>
        {
            Assert.True(p.P10 >= 0 && p.P10 <= p.P50 && p.P50 <= p.P90, $"{p}");
            Assert.True(double.IsFinite(p.P90));
        });
        Assert.Contains(run.Series.SelectMany(s => s.Points), p => p.P90 > p.P10);
    }

    [Fact]
    public void EachLeafIsServedByTheModelItsBacktestChose()
    {
        var run = _champion.Forecast(24);
        var manifest = _champion.Registry.ChampionManifest("global-tokens")!;

        foreach (var leaf in run.Series.Where(s => SeriesKey.Parse(s.Series).IsLeaf))
        {
            Assert.Equal(manifest.Selection[leaf.Series], leaf.Model);
        }

        Assert.All(run.Series.Where(s => !SeriesKey.Parse(s.Series).IsLeaf), s => Assert.Equal(SeriesHierarchy.BottomUp, s.Model));
    }

    [Fact]
    public void ACombinationSelectedByTheBacktestIsServedAsTheWeightedMeanOfItsModels()
    {
        var manifest = _champion.Registry.ChampionManifest("global-tokens")!;
        var leaf = manifest.Selection.Keys.First(k => SeriesKey.Parse(k).IsLeaf);
        var tree = Path.Combine(_champion.Registry.VersionFolder("global-tokens", manifest.Version), ModelRegistry.FastTreeFile);
        Core.Forecasting.SeriesForecast Serve(string model)
        {
            var registry = new ModelRegistry(Directory.CreateTempSubdirectory("forecasting-combination-").FullName);
            var version = registry.Register("global-tokens", manifest with { Selection = new(manifest.Selection) { [leaf] = model } }, folder => File.Copy(tree, Path.Combine(folder, ModelRegistry.FastTreeFile)));
            registry.SetChampion("global-tokens", version.Version, "test", DateTimeOffset.UnixEpoch);
            var run = new Predictor(registry, TimeProvider.System).Forecast(SampleSeries.WithRollups, ForecastTarget.Tokens, 48, CancellationToken.None)!;
            Directory.Delete(registry.Root, recursive: true);
            return run.Find(leaf)!;
        }

        var combined = Serve("combination(snaive 0.25; smedian 0.75)");
        var naive = Serve("snaive");
        var median = Serve("smedian");

        Assert.Equal("combination(snaive 0.25; smedian 0.75)", combined.Model);
        for (var h = 0; h < 48; h++)
        {
            var expected = (0.25 * naive.Points[h].P50) + (0.75 * median.Points[h].P50);
            Assert.Equal(expected, combined.Points[h].P50, expected * 1e-9);
        }
    }

    /// <summary>Trains one champion on the realistic sample for all tests of the class.</summary>
    public sealed class Champion : IDisposable
    {
        private readonly string _root = Directory.CreateTempSubdirectory("forecasting-predictor-").FullName;

        public Champion()
        {
            Registry = new ModelRegistry(_root);
            var outcome = new Trainer(Registry, TimeProvider.System).Train(SampleSeries.WithRollups, ForecastTarget.Tokens, new BacktestOptions { Folds = 2, Horizon = 48 }, null, CancellationToken.None);
            Version = outcome.Manifest.Version;
        }

        public ModelRegistry Registry { get; }

        public string Version { get; }

        public Core.Forecasting.ForecastRun Forecast(int horizon) =>
            new Predictor(Registry, TimeProvider.System).Forecast(SampleSeries.WithRollups, ForecastTarget.Tokens, horizon, CancellationToken.None)!;

        public void Dispose() => Directory.Delete(_root, recursive: true);
    }
}
