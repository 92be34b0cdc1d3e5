using Forecasting.Api.Services;
using Forecasting.Application;
using Forecasting.Core.Backtesting;
using Forecasting.ML.Registry;
using Microsoft.Extensions.Options;
using Quartz;

namespace Forecasting.Api.Scheduling;

/// <summary>
/// One shard of a sharded retrain (<see cref="TrainingOptions.ShardSize"/>), scheduled by the retrain job: trains the
/// shard's series into its registry unit (skipped when that unit already has a version trained on this usage) and
/// records how it ended beside the unit, where the retrain, on whichever node, waits for it. Several shards run at
/// once (no <see cref="DisallowConcurrentExecution"/>), on every node; a shard in progress on a node that dies is
/// run again by another (recovery, at most once a day per shard unit).
/// </summary>
internal sealed class RetrainShardJob(WorkspaceProvider workspaces, ShardedTrainUseCase sharded, IOptions<ApiOptions> options) : IJob
{
    public static readonly JobKey Key = new("retrain-shard", "forecasting");

    public const string RunKey = "run";
    public const string ShardKey = "shard";
    public const string CountKey = "count";

    private static readonly TimeSpan RecoveryWindow = TimeSpan.FromHours(24);

    private static readonly TimeSpan WaitForOtherTraining = TimeSpan.FromMinutes(30);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.MergedJobDataMap;
        var run = data.GetString(RunKey)!;
        var shard = data.GetInt(ShardKey);
        var count = data.GetInt(CountKey);
        var workspace = await workspaces.GetAsync(cancellationToken);
        var target = options.Value.ParsedTarget;
        var unit = ModelRegistry.NameOf(target, shard, count);
        var node = context.Scheduler.SchedulerInstanceId;
        var registry = workspace.Registry;
        if (context.Recovering && !registry.TryClaimRecovery(unit, workspace.Time.GetUtcNow(), RecoveryWindow))
        {
            var detail = $"{unit}: not recovered: a run of this shard was already recovered within {RecoveryWindow.TotalHours:N0} h";
            registry.RecordShardRun(unit, run, new ShardRunRecord(JobStates.Failed, detail, null, node, workspace.Time.GetUtcNow()));
            context.Result = new JobOutcome(JobStates.Skipped, detail);
            return;
        }

        try
        {
            var result = (await sharded.TrainShardAsync(target, new ShardLayout(count), shard, new BacktestOptions(), null, WaitForOtherTraining, cancellationToken)).Require();
            var detail = result.Outcome is { } outcome
                ? $"{unit}/{outcome.Manifest.Version} ({result.Series} series): {outcome.Decision}"
                : $"{unit} ({result.Series} series): {result.Skipped}";
            var state = result.Outcome is null ? JobStates.Skipped : JobStates.Succeeded;
            registry.RecordShardRun(unit, run, new ShardRunRecord(state, detail, result.Version, node, workspace.Time.GetUtcNow()));
            context.Result = new JobOutcome(state, detail, result.Version);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            registry.RecordShardRun(unit, run, new ShardRunRecord(JobStates.Failed, $"{unit}: {e.Message}", null, node, workspace.Time.GetUtcNow()));
            throw;
        }
    }
}
