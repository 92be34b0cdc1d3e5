using Forecasting.Core.Backtesting;
using Forecasting.ML.Registry;

namespace Forecasting.ML.Tests.Registry;

public sealed class ModelRegistryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("forecasting-registry-").FullName;

    [Fact]
    public void VersionsAreNumberedInOrderAndReadBackWhole()
    {
        var registry = new ModelRegistry(_root);

        var first = registry.Register("global-tokens", Manifest(0.8), folder => File.WriteAllText(Path.Combine(folder, "model.bin"), "one"));
        var second = registry.Register("global-tokens", Manifest(0.7), folder => File.WriteAllText(Path.Combine(folder, "model.bin"), "two"));

        Assert.Equal(("v0001", "v0002"), (first.Version, second.Version));
        var listed = registry.List("global-tokens");
        Assert.Equal(["v0001", "v0002"], listed.Select(m => m.Version));
        Assert.Equal(0.7, listed[1].Backtest.Served!.RelativeMae);
        Assert.Equal(["a/b"], listed[1].Calibration.Keys);
        Assert.Equal([-0.2, 0.3], listed[1].Calibration["a/b"][0]);
        Assert.Equal("two", File.ReadAllText(Path.Combine(registry.VersionFolder("global-tokens", "v0002"), "model.bin")));
    }

    [Fact]
    public void AWriterThatFailsLeavesNoVersionBehind()
    {
        var registry = new ModelRegistry(_root);

        Assert.Throws<IOException>(() => registry.Register("global-tokens", Manifest(0.8), folder =>
        {
            File.WriteAllText(Path.Combine(folder, "half.bin"), "partial");
            throw new IOException("disk full");
        }));

        Assert.Empty(registry.List("global-tokens"));
        Assert.Empty(Directory.GetDirectories(Path.Combine(_root, "global-tokens")));
    }

    [Fact]
    public void StagingLeftByAKilledRegistrationIsRemovedByTheNextOnceOlderThanARun()
    {
        var registry = new ModelRegistry(_root);
        var folder = Path.Combine(_root, "global-tokens");
        var orphan = Path.Combine(folder, ".tmp-killed");
        var live = Path.Combine(folder, ".tmp-live");
        var pointer = Path.Combine(folder, "current.json.killed.tmp");
        Directory.CreateDirectory(Path.Combine(orphan, "sub"));
        File.WriteAllText(Path.Combine(orphan, "sub", "model.bin"), "half");
        Directory.CreateDirectory(live);
        File.WriteAllText(Path.Combine(live, "model.bin"), "being written");
        File.WriteAllText(pointer, "{}");
        var old = DateTime.UtcNow - registry.OrphanAge - TimeSpan.FromMinutes(1);
        foreach (var path in new[] { Path.Combine(orphan, "sub", "model.bin"), Path.Combine(orphan, "sub"), orphan, pointer })
        {
            File.SetLastWriteTimeUtc(path, old);
        }

        registry.Register("global-tokens", Manifest(0.8), _ => { });

        Assert.False(Directory.Exists(orphan));
        Assert.False(File.Exists(pointer));
        Assert.True(File.Exists(Path.Combine(live, "model.bin")));
        Assert.Equal(["v0001"], registry.List("global-tokens").Select(m => m.Version));
    }

    [Fact]
    public void TheChampionPointerMovesOnlyToExistingVersions()
    {
        var registry = new ModelRegistry(_root);
        var v1 = registry.Register("global-tokens", Manifest(0.8), _ => { });
        var v2 = registry.Register("global-tokens", Manifest(0.7), _ => { });

        registry.SetChampion("global-tokens", v2.Version, "better", DateTimeOffset.UnixEpoch);
        registry.SetChampion("global-tokens", v1.Version, "rollback", DateTimeOffset.UnixEpoch);

        Assert.Equal(v1.Version, registry.Champion("global-tokens")!.Version);
        Assert.Equal("rollback", registry.Champion("global-tokens")!.Reason);
        Assert.Throws<Core.InvalidInputException>(() => registry.SetChampion("global-tokens", "v0099", "typo", DateTimeOffset.UnixEpoch));
        Assert.Equal(v1.Version, registry.Champion("global-tokens")!.Version);
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "global-tokens"), "*.tmp"));
    }

    [Fact]
    public void ACalibratorRestoredFromTheManifestGivesTheSameIntervals()
    {
        var manifest = Manifest(0.8);

        var (low, high) = manifest.ToCalibrator().Interval("a/b", 5, 100, 10);

        Assert.Equal(98, low, 9);
        Assert.Equal(103, high, 9);
    }

    [Fact]
    public void AManifestWithoutACalibrationMethodIsServedLevelScaledAndANewOneRelativeToTheForecast()
    {
        var registry = new ModelRegistry(_root);
        var old = registry.Register("global-tokens", Manifest(0.8), _ => { });
        var current = registry.Register("global-tokens", Manifest(0.8) with { CalibrationMethod = IntervalMethod.LogRatio }, _ => { });

        var json = File.ReadAllText(Path.Combine(registry.VersionFolder("global-tokens", old.Version), ModelRegistry.ManifestFile));
        Assert.DoesNotContain("calibration_method\": \"", json, StringComparison.Ordinal);
        var listed = registry.List("global-tokens");
        Assert.Equal(IntervalMethod.LevelScaled, listed[0].ToCalibrator().Method);
        Assert.Equal(IntervalMethod.LogRatio, listed[1].CalibrationMethod);

        // Log-ratio quantiles −0.2 and 0.3 around a forecast of 100 at level 10 (offset 0.1).
        var (low, high) = listed[1].ToCalibrator().Interval("a/b", 5, 100, 10);
        Assert.Equal((100.1 * Math.Exp(-0.2)) - 0.1, low, 9);
        Assert.Equal((100.1 * Math.Exp(0.3)) - 0.1, high, 9);
        Assert.Equal(current.Version, listed[1].Version);
    }

    [Fact]
    public void OnlyOneTrainingHoldsTheLockAndItIsFreedOnRelease()
    {
        var registry = new ModelRegistry(_root);

        using (var first = registry.TryLockTraining("global-tokens", TimeSpan.Zero))
        {
            Assert.NotNull(first);
            Assert.Null(registry.TryLockTraining("global-tokens", TimeSpan.FromSeconds(1)));
            using var other = registry.TryLockTraining("global-cost", TimeSpan.Zero);
            Assert.NotNull(other);
        }

        using var again = registry.TryLockTraining("global-tokens", TimeSpan.Zero);
        Assert.NotNull(again);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    internal static ModelManifest Manifest(double relativeMae, string featureSet = "v1:test") => new()
    {
        Version = "",
        Target = "tokens",
        TrainedAt = DateTimeOffset.UnixEpoch,
        DataWindow = new DataWindow(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(10), 1, 11),
        FeatureSet = featureSet,
        HyperParameters = new Dictionary<string, object> { ["trees"] = 10 },
        LibraryVersions = new Dictionary<string, string> { ["Microsoft.ML"] = "5.0.1" },
        Backtest = new BacktestSummary(168, 4, 24, [new ModelScore(ModelScore.Served, 1, 1, 1, relativeMae, 0.8, 10), new ModelScore("snaive", 1, 1, 1, 1, double.NaN, 10)]),
        Selection = new Dictionary<string, string> { ["a/b"] = "fasttree" },
        Calibration = new Dictionary<string, Dictionary<int, double[]>> { ["a/b"] = new() { [0] = [-0.2, 0.3] } },
        PooledCalibration = new Dictionary<int, double[]> { [0] = [-0.5, 0.5] },
        Files = [],
    };
}
