using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.ML.Registry;
using Forecasting.ML.Training;

namespace Forecasting.Application;

/// <summary>One shard's training: its registry unit, and the version it registered or why none (unchanged usage, no series).</summary>
public sealed record ShardResult(int Shard, string Unit, int Series, TrainingOutcome? Outcome, string? Skipped)
{
    public string? Version => Outcome?.Manifest.Version;
}

/// <summary>A sharded training: each shard's result and the union served from them.</summary>
public sealed record ShardedTrainResult(ShardLayout Layout, IReadOnlyList<ShardResult> Shards, ShardUnionOutcome Union, UsageData Data);

/// <summary>
/// Sharded training (<c>Forecasting:Training:ShardSize</c>, <c>train --shard-size</c>): the leaf series split into
/// <see cref="ShardLayout"/> shards by a stable hash of their key plus one roll-up shard, each trained as its own
/// registry unit (its own versions, champion and promotion decision), then the union of the shard champions
/// registered and served as one version of the target (<see cref="ShardUnion"/>). The CLI trains the shards here in
/// turn; the service runs each shard as a Quartz job on any node and calls <see cref="FinishAsync"/> when all ended.
/// </summary>
public sealed class ShardedTrainUseCase(IWorkspaceSource workspaces, ForecastUseCase forecasts, ReportUseCase reports)
{
    /// <summary>The shard layout of the stored series at <paramref name="shardSize"/> leaf series a shard.</summary>
    public static ShardLayout Layout(UsageData data, int shardSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardSize, 1);
        return ShardLayout.For(data.Series.Count(s => s.Key.IsLeaf), shardSize)!;
    }

    /// <summary>Shards without a series (a hash can leave one empty): nothing to train, and not needed for the union.</summary>
    public static IReadOnlySet<int> EmptyShards(UsageData data, ShardLayout layout)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(layout);
        var used = data.Series.Select(s => layout.ShardOf(s.Key)).ToHashSet();
        return layout.Shards.Where(s => !used.Contains(s)).ToHashSet();
    }

    /// <summary>
    /// The service's sharded retrain, before any shard is scheduled: the layout of the stored series at
    /// <paramref name="shardSize"/>, its empty shards, and the served union when it has this layout and was trained on
    /// this usage (then nothing is trained). The usage is read once here and let go: each shard job reads it again.
    /// </summary>
    public async Task<UseCaseResult<ShardedRetrainStart>> StartAsync(ForecastTarget target, int shardSize, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        var read = await UsageData.LoadAsync(workspace, target, cancellationToken);
        if (read.Value is not { } data)
        {
            return UseCase.Unavailable<ShardedRetrainStart>(read.Problem!);
        }

        var layout = Layout(data, shardSize);
        var unchanged = UnchangedSince.Find(workspace.Registry, ModelRegistry.NameOf(target), UsageFingerprint.Of(data.Rows), m => m.Shards?.Count == layout.Count);
        return UseCase.Ok(new ShardedRetrainStart(layout, EmptyShards(data, layout), unchanged));
    }

    /// <summary>
    /// Trains one shard's series into its unit with the unit's training lock held; skipped (nothing registered) when
    /// the shard has no series or its champion or newest version was trained on this same stored usage, so a shard
    /// run again (a recovery, a second request) after it finished costs a read.
    /// </summary>
    public async Task<UseCaseResult<ShardResult>> TrainShardAsync(ForecastTarget target, ShardLayout layout, int shard, BacktestOptions options, IProgress<string>? progress, TimeSpan waitForOtherTraining, CancellationToken cancellationToken, UsageData? loaded = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var workspace = await workspaces.GetAsync(cancellationToken);
        if (loaded is null)
        {
            var read = await UsageData.LoadAsync(workspace, target, cancellationToken);
            if (read.Value is null)
            {
                return UseCase.Unavailable<ShardResult>(read.Problem!);
            }

            loaded = read.Value;
        }

        var data = loaded;
        var unit = ModelRegistry.NameOf(target, shard, layout.Count);
        var series = layout.Select(data.Series, shard);
        if (series.Count == 0)
        {
            return UseCase.Ok(new ShardResult(shard, unit, 0, null, "skipped: no series in this shard"));
        }

        var fingerprint = UsageFingerprint.Of(data.Rows);
        var registry = workspace.Registry;
        return UseCase.Ok(await Task.Run(
            () =>
            {
                using var trainingLock = Trainer.LockOrRefuse(registry, unit, waitForOtherTraining);
                if (UnchangedSince.Find(registry, unit, fingerprint) is { } same)
                {
                    return new ShardResult(shard, unit, series.Count, null, $"skipped: usage unchanged since {unit}/{same.Version} was trained");
                }

                var outcome = new Trainer(registry, workspace.Time).TrainHoldingLock(series, target, options, progress, fingerprint, workspace.Settings.Features(), unit, cancellationToken);
                return new ShardResult(shard, unit, series.Count, outcome, null);
            },
            cancellationToken));
    }

    /// <summary>
    /// The last step: registers the union of the layout's shard champions as the target's champion (when every
    /// shard with series has one, and it differs from the served union), then forecasts from it and writes the report.
    /// </summary>
    public async Task<UseCaseResult<ShardUnionOutcome>> FinishAsync(ForecastTarget target, ShardLayout layout, IReadOnlySet<int> empty, string? reportFolder, TimeSpan waitForOtherTraining, CancellationToken cancellationToken, UsageData? loaded = null)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        var union = ShardUnion.Compose(workspace.Registry, target, layout, workspace.Time, waitForOtherTraining, empty);
        if (union.Promoted)
        {
            if (loaded is null)
            {
                var read = await UsageData.LoadAsync(workspace, target, cancellationToken);
                if (read.Value is null)
                {
                    return UseCase.Unavailable<ShardUnionOutcome>(read.Problem!);
                }

                loaded = read.Value;
            }

            (await forecasts.RunAsync(loaded, Horizon.Default, cancellationToken)).Require();
            if (reportFolder is not null)
            {
                (await reports.WriteAsync(loaded, reportFolder, cancellationToken)).Require();
            }
        }

        return UseCase.Ok(union);
    }

    /// <summary>The CLI's sharded <c>train</c>: every shard in turn in this process (the same units as the service's shard jobs), then the union.</summary>
    public async Task<UseCaseResult<ShardedTrainResult>> RunAsync(ForecastTarget target, int shardSize, BacktestOptions options, IProgress<string>? progress, TimeSpan waitForOtherTraining, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        var read = await UsageData.LoadAsync(workspace, target, cancellationToken);
        if (read.Value is not { } data)
        {
            return UseCase.Unavailable<ShardedTrainResult>(read.Problem!);
        }

        var layout = Layout(data, shardSize);
        var results = new List<ShardResult>();
        foreach (var shard in layout.Shards)
        {
            var unit = ModelRegistry.NameOf(target, shard, layout.Count);
            var shardProgress = progress is null ? null : new Progress<string>(m => progress.Report($"{unit}: {m}"));
            results.Add((await TrainShardAsync(target, layout, shard, options, shardProgress, waitForOtherTraining, cancellationToken, data)).Require());
        }

        var union = ShardUnion.Compose(workspace.Registry, target, layout, workspace.Time, waitForOtherTraining, EmptyShards(data, layout));
        return UseCase.Ok(new ShardedTrainResult(layout, results, union, data));
    }
}
