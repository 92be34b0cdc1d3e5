using Forecasting.Core.Backtesting;
using Forecasting.Core.Features;
using Forecasting.Core.Series;
using Forecasting.ML.Models.FastTree;
using Forecasting.ML.Registry;
using Forecasting.ML.Tests.Registry;
using Forecasting.ML.Tests.Support;
using Forecasting.ML.Training;

namespace Forecasting.ML.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("forecasting-train-").FullName;

    [Fact]
    public void TrainingRegistersAVersionThatBeatsSeasonalNaiveAndPromotesIt()
    {
        var registry = new ModelRegistry(_root);
        var options = new BacktestOptions { Folds = 2, WarmupFolds = 2, Horizon = 48, Step = 24 };

        var outcome = new Trainer(registry, TimeProvider.System).Train(SampleSeries.WithRollups, ForecastTarget.Tokens, options, null, CancellationToken.None);

        Assert.True(outcome.Promoted, outcome.Decision);
        Assert.Equal(outcome.Manifest.Version, registry.Champion("global-tokens")!.Version);
        Assert.True(outcome.Manifest.Backtest.Served!.RelativeMae < 1);
        Assert.Equal(SampleSeries.WithRollups.Count, outcome.Manifest.Selection.Count);
        Assert.Contains("*/*", outcome.Manifest.Selection.Keys);
        Assert.True(File.Exists(Path.Combine(registry.VersionFolder("global-tokens", outcome.Manifest.Version), ModelRegistry.FastTreeFile)));
        Assert.Contains("Microsoft.ML", outcome.Manifest.LibraryVersions.Keys);
        var reread = registry.ChampionManifest("global-tokens")!;
        Assert.Equal(outcome.Manifest.Selection, reread.Selection);
        Assert.Equal(outcome.Manifest.FeatureSet, reread.FeatureSet);
    }

    [Fact]
    public void TwoTrainingsOnTheSameDataRegisterTheSameVersionContents()
    {
        // The backtest forecasts series in parallel and the global model builds its sampled rows in parallel (a
        // budget below the rows there are): what is registered must not depend on the threads' timing.
        var options = new BacktestOptions { Folds = 1, WarmupFolds = 2, Horizon = 24, Step = 24 };
        var fastTree = new FastTreeOptions { NumberOfTrees = 40, MaxRows = 5_000 };
        var first = new Trainer(new ModelRegistry(Path.Combine(_root, "a")), TimeProvider.System) { FastTree = fastTree }.Train(SampleSeries.WithRollups, ForecastTarget.Tokens, options, null, CancellationToken.None);
        var second = new Trainer(new ModelRegistry(Path.Combine(_root, "b")), TimeProvider.System) { FastTree = fastTree }.Train(SampleSeries.WithRollups, ForecastTarget.Tokens, options, null, CancellationToken.None);

        string Backtest(string root, TrainingOutcome o) => File.ReadAllText(Path.Combine(new ModelRegistry(root).VersionFolder("global-tokens", o.Manifest.Version), ModelRegistry.BacktestFile));
        Assert.Equal(Backtest(Path.Combine(_root, "a"), first), Backtest(Path.Combine(_root, "b"), second));
        Assert.Equal(first.Manifest.Selection, second.Manifest.Selection);
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(first.Manifest.Calibration),
            System.Text.Json.JsonSerializer.Serialize(second.Manifest.Calibration));
    }

    [Fact]
    public void AChallengerThatDoesNotBeatSeasonalNaiveIsNotPromoted()
    {
        var (promote, decision) = Trainer.Decide(ModelRegistryTests.Manifest(1.05), champion: null);

        Assert.False(promote);
        Assert.Contains("seasonal naive", decision, StringComparison.Ordinal);
    }

    [Fact]
    public void AChallengerWithOtherSettingsMustBeatTheChampionsScore()
    {
        var champion = ModelRegistryTests.Manifest(0.70, featureSet: "v1:old") with { Version = "v0001" };

        var worse = Trainer.Decide(ModelRegistryTests.Manifest(0.75, featureSet: "v1:new"), champion);
        var better = Trainer.Decide(ModelRegistryTests.Manifest(0.65, featureSet: "v1:new"), champion);

        Assert.False(worse.Promote, worse.Decision);
        Assert.True(better.Promote, better.Decision);
    }

    [Fact]
    public void TheSameConfigurationRetrainedOnNewerDataReplacesTheChampion()
    {
        var champion = ModelRegistryTests.Manifest(0.70) with { Version = "v0001" };

        var (promote, decision) = Trainer.Decide(ModelRegistryTests.Manifest(0.72), champion);

        Assert.True(promote, decision);
        Assert.Contains("same configuration", decision, StringComparison.Ordinal);
    }

    [Fact]
    public void AChallengerThatDiffersOnlyInItsCalendarIsJudgedAsTheSameConfigurationOnNewerData()
    {
        // Manifests as read from disk: the FastTree options (with the features' calendar) are JSON.
        static ModelManifest With(double relativeMae, FastTreeOptions fastTree) => ModelRegistryTests.Manifest(relativeMae) with
        {
            HyperParameters = new Dictionary<string, object> { ["fasttree"] = System.Text.Json.JsonSerializer.SerializeToElement(fastTree, ModelRegistry.Json) },
        };
        var champion = With(0.70, new FastTreeOptions()) with { Version = "v0001" };
        var calendar = new FastTreeOptions
        {
            Features = new FeatureOptions { Holidays = [new DateOnly(2026, 12, 25)], ProjectTimeZones = new Dictionary<string, string> { ["tutor"] = "America/New_York" } },
        };

        var newCalendar = Trainer.Decide(With(0.72, calendar), champion);
        var otherTrees = Trainer.Decide(With(0.72, calendar with { NumberOfTrees = 100 }), champion);

        Assert.True(newCalendar.Promote, newCalendar.Decision);
        Assert.Contains("same configuration", newCalendar.Decision, StringComparison.Ordinal);
        Assert.False(otherTrees.Promote, otherTrees.Decision);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
