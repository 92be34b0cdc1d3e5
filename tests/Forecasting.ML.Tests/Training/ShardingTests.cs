using Forecasting.Core.Backtesting;
using Forecasting.Core.Series;
using Forecasting.ML.Prediction;
using Forecasting.ML.Registry;
using Forecasting.ML.Tests.Support;
using Forecasting.ML.Training;

namespace Forecasting.ML.Tests.Training;

/// <summary>Shard assignment, shard registry units, and the union of shard champions served as one version (trained once for the class on the realistic sample).</summary>
public sealed class ShardingTests : IClassFixture<ShardingTests.Sharded>
{
    private readonly Sharded _sharded;

    public ShardingTests(Sharded sharded) => _sharded = sharded;

    [Theory]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public void TheHashIsFnv1a64SoEveryProcessAndRunAgrees(string key, ulong expected) =>
        // The published FNV-1a test vectors: a process-randomised hash (string.GetHashCode) could not match them.
        Assert.Equal(expected, ShardLayout.Hash(key));

    [Fact]
    public void ALeafKeepsItsShardAndRollUpsGoToTheRollUpShard()
    {
        var layout = new ShardLayout(8);
        var key = new SeriesKey("tutor", "deepseek-v3.2");

        Assert.Equal(layout.ShardOf(key), new ShardLayout(8).ShardOf(SeriesKey.Parse("tutor/deepseek-v3.2")));
        Assert.Equal((int)(ShardLayout.Mix(ShardLayout.Hash("tutor/deepseek-v3.2")) % 8), layout.ShardOf(key));
        Assert.InRange(layout.ShardOf(key), 0, 7);
        Assert.Equal(8, layout.ShardOf(SeriesKey.Parse("tutor/*")));
        Assert.Equal(8, layout.ShardOf(SeriesKey.Parse("*/gpt-4.1")));
        Assert.Equal(8, layout.ShardOf(SeriesKey.Total));
        Assert.Equal(Enumerable.Range(0, 9), layout.Shards);
    }

    [Fact]
    public void LeavesSpreadEvenlyOverTheShards()
    {
        var layout = new ShardLayout(8);
        var counts = new int[8];
        for (var p = 0; p < 100; p++)
        {
            for (var m = 0; m < 40; m++)
            {
                counts[layout.ShardOf(new SeriesKey($"project-{p}", $"model-{m}"))]++;
            }
        }

        // 4,000 keys: 500 a shard expected; a fair hash stays within ±15 % (about 3.4 standard deviations).
        Assert.All(counts, c => Assert.InRange(c, 425, 575));
    }

    [Theory]
    [InlineData(100, 0, null)]
    [InlineData(100, 25, 4)]
    [InlineData(101, 25, 5)]
    [InlineData(3, 25, 1)]
    [InlineData(0, 25, 1)]
    public void TheShardCountIsTheLeavesOverTheShardSizeRoundedUp(int leaves, int size, int? expected) =>
        Assert.Equal(expected, ShardLayout.For(leaves, size)?.Count);

    [Fact]
    public void EachShardIsARegistryUnitOfItsOwn()
    {
        Assert.Equal("global-tokens-shard-03-of-08", ModelRegistry.NameOf(ForecastTarget.Tokens, 3, 8));
        Assert.Equal("global-cost-shard-rollups-of-08", ModelRegistry.NameOf(ForecastTarget.Cost, 8, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelRegistry.NameOf(ForecastTarget.Tokens, 9, 8));

        foreach (var shard in _sharded.Layout.Shards)
        {
            var unit = ModelRegistry.NameOf(ForecastTarget.Tokens, shard, _sharded.Layout.Count);
            var champion = _sharded.Registry.ChampionManifest(unit)!;
            // The unit's version saw only its shard's series.
            Assert.Equal(
                _sharded.Layout.Select(SampleSeries.WithRollups, shard).Select(s => s.Key.ToString()).Order(),
                champion.Selection.Keys.Order());
        }
    }

    [Fact]
    public void TheUnionForecastCoversEverySeriesOnceWithEachLeafFromItsShard()
    {
        var run = new Predictor(_sharded.Registry, TimeProvider.System).Forecast(SampleSeries.WithRollups, ForecastTarget.Tokens, 48, CancellationToken.None)!;
        var union = _sharded.Registry.ChampionManifest("global-tokens")!;

        Assert.Equal(_sharded.Union.Manifest!.Version, run.ModelVersion);
        Assert.Equal(union.Version, run.ModelVersion);
        Assert.Equal(SampleSeries.WithRollups.Select(s => s.Key.ToString()).Order(), run.Series.Select(s => s.Series).Order());
        Assert.Empty(run.Skipped);
        Assert.Equal(_sharded.Layout.Count + 1, union.Shards!.Members.Count);
        foreach (var leaf in run.Series.Where(s => SeriesKey.Parse(s.Series).IsLeaf))
        {
            var member = union.Shards.Members.Single(m => m.Shard == _sharded.Layout.ShardOf(SeriesKey.Parse(leaf.Series)));
            Assert.Equal(_sharded.Registry.Load(member.Unit, member.Version).Selection[leaf.Series], leaf.Model);
        }

        // Roll-ups stay the sums of their leaves across shards.
        var total = run.Find("*/*")!;
        var leaves = run.Series.Where(s => SeriesKey.Parse(s.Series).IsLeaf).ToList();
        Assert.Equal(SeriesHierarchy.BottomUp, total.Model);
        for (var h = 0; h < 48; h++)
        {
            var sum = leaves.Sum(l => l.Points[h].P50);
            Assert.Equal(sum, total.Points[h].P50, sum * 1e-9);
        }
    }

    [Fact]
    public void ComposingTheSameChampionsAgainChangesNothing()
    {
        var again = ShardUnion.Compose(_sharded.Registry, ForecastTarget.Tokens, _sharded.Layout, TimeProvider.System);

        Assert.False(again.Promoted);
        Assert.Equal(_sharded.Union.Manifest!.Version, again.Manifest!.Version);
        Assert.Equal(_sharded.Union.Manifest.Version, _sharded.Registry.Champion("global-tokens")!.Version);
    }

    [Fact]
    public void AnotherShardCountIsNotServedUntilEachOfItsShardsHasAChampion()
    {
        var other = ShardUnion.Compose(_sharded.Registry, ForecastTarget.Tokens, new ShardLayout(_sharded.Layout.Count + 1), TimeProvider.System);

        Assert.False(other.Promoted);
        Assert.Null(other.Manifest);
        Assert.Contains("no champion yet", other.Decision, StringComparison.Ordinal);
        Assert.Equal(_sharded.Union.Manifest!.Version, _sharded.Registry.Champion("global-tokens")!.Version);
    }

    /// <summary>Two leaf shards and the roll-up shard trained into their units, and their union served.</summary>
    public sealed class Sharded : IDisposable
    {
        private readonly string _root = Directory.CreateTempSubdirectory("forecasting-sharded-").FullName;

        public Sharded()
        {
            Registry = new ModelRegistry(_root);
            Layout = new ShardLayout(2);
            var trainer = new Trainer(Registry, TimeProvider.System);
            foreach (var shard in Layout.Shards)
            {
                var series = Layout.Select(SampleSeries.WithRollups, shard);
                Assert.NotEmpty(series);
                trainer.Train(series, ForecastTarget.Tokens, new BacktestOptions { Folds = 2, Horizon = 48 }, null, CancellationToken.None, unit: ModelRegistry.NameOf(ForecastTarget.Tokens, shard, Layout.Count));
            }

            Union = ShardUnion.Compose(Registry, ForecastTarget.Tokens, Layout, TimeProvider.System);
        }

        public ModelRegistry Registry { get; }

        public ShardLayout Layout { get; }

        public ShardUnionOutcome Union { get; }

        public void Dispose() => Directory.Delete(_root, recursive: true);
    }
}
