using Forecasting.Api.Services;
using Forecasting.Application;
using Forecasting.ML.Registry;
using Forecasting.ML.Training;
using Microsoft.Extensions.Options;
using Quartz;

namespace Forecasting.Api.Scheduling;

/// <summary>
/// Weekly: the retrain use case (backtest, register, promote only if better; after a promotion,
/// forecast and write the report). One at a time across the cluster (the job store holds the lock);
/// a CLI training holding the registry's lock makes the job wait for it (up to 30 minutes).
/// </summary>
[DisallowConcurrentExecution]
internal sealed class RetrainJob(WorkspaceProvider workspaces, RetrainUseCase retrains, ShardedTrainUseCase sharded, ForecastReader forecasts, IOptions<ApiOptions> options, IOptions<TrainingOptions> training) : IJob
{
    public static readonly JobKey Key = new("retrain", "forecasting");

    private static readonly TimeSpan RecoveryWindow = TimeSpan.FromHours(24);

    private static readonly TimeSpan WaitForOtherTraining = TimeSpan.FromMinutes(30);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var workspace = await workspaces.GetAsync(cancellationToken);
        var target = options.Value.ParsedTarget;
        // A retrain that killed its node (out of memory, say) would otherwise be recovered by every
        // survivor and every restart, for ever.
        if (context.Recovering && !workspace.Registry.TryClaimRecovery(ModelRegistry.NameOf(target), workspace.Time.GetUtcNow(), RecoveryWindow))
        {
            context.Result = new JobOutcome(JobStates.Skipped, $"not recovered: a retrain was already recovered within {RecoveryWindow.TotalHours:N0} h; it runs at the next schedule or POST /api/v1/retrain");
            return;
        }

        if (training.Value.ShardSize > 0)
        {
            await RunShardedAsync(context, workspace, target, cancellationToken);
            return;
        }

        var retrain = (await retrains.RunAsync(target, options.Value.Reports, WaitForOtherTraining, cancellationToken)).Require();
        // A promotion stored a new forecast: this node serves it from the next request, not after the reader's cache expires.
        forecasts.Forget();
        context.Result = retrain.Trained is { } trained
            ? new JobOutcome(JobStates.Succeeded, $"{trained.Outcome.Manifest.Version}: {trained.Outcome.Decision}", trained.Outcome.Manifest.Version)
            : new JobOutcome(JobStates.Skipped, retrain.Skipped!, retrain.Version);
    }

    /// <summary>
    /// A sharded retrain: skipped when the served union has this layout and was trained on this usage; otherwise one
    /// Quartz trigger per shard (any node runs it), a wait until every shard has recorded its end, then the union of
    /// the shard champions is served (forecast and report). This job holds the retrain's place (one at a time, the
    /// request trigger deduplicates) until the end; recovered on another node, it schedules the shards again, and
    /// those already trained on this usage are skipped.
    /// </summary>
    private async Task RunShardedAsync(IJobExecutionContext context, Application.Workspace workspace, Core.Series.ForecastTarget target, CancellationToken cancellationToken)
    {
        var registry = workspace.Registry;
        var runId = context.MergedJobDataMap.TryGetString(JobHistory.IdKey, out var requested) && requested is not null ? requested : context.FireInstanceId;
        // The usage is read once there for the layout and let go: each shard job reads it again on its node.
        var start = (await sharded.StartAsync(target, training.Value.ShardSize, cancellationToken)).Require();
        var (layout, empty) = (start.Layout, start.Empty);
        if (start.Unchanged is { } unchanged)
        {
            context.Result = new JobOutcome(JobStates.Skipped, $"skipped: usage unchanged since {unchanged.Version} (union of {layout.Count} shards) was trained", unchanged.Version);
            return;
        }

        var shards = layout.Shards.Where(s => !empty.Contains(s)).ToList();
        var now = workspace.Time.GetUtcNow();
        foreach (var shard in shards)
        {
            var unit = ModelRegistry.NameOf(target, shard, layout.Count);
            var trigger = TriggerBuilder.Create()
                .WithIdentity($"{unit}-{runId}", ShardGroup)
                .ForJob(RetrainShardJob.Key)
                .UsingJobData(JobHistory.IdKey, $"{runId}/{unit}")
                .UsingJobData(JobHistory.ReasonKey, $"shard {shard} of retrain {runId}")
                .UsingJobData(RetrainShardJob.RunKey, runId)
                .UsingJobData(RetrainShardJob.ShardKey, shard)
                .UsingJobData(RetrainShardJob.CountKey, layout.Count)
                .StartAt(now)
                .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build();
            // Kept when it exists: a recovered retrain does not queue a shard twice.
            await context.Scheduler.ScheduleTrigger(trigger, TriggerConflict.Keep, cancellationToken);
        }

        var deadline = workspace.Time.GetUtcNow() + training.Value.ShardTimeout;
        var records = new Dictionary<int, ShardRunRecord>();
        while (records.Count < shards.Count)
        {
            foreach (var shard in shards.Where(s => !records.ContainsKey(s)))
            {
                if (registry.ShardRun(ModelRegistry.NameOf(target, shard, layout.Count), runId) is { } record)
                {
                    records[shard] = record;
                }
            }

            if (records.Count < shards.Count)
            {
                if (workspace.Time.GetUtcNow() > deadline)
                {
                    throw new TimeoutException($"{shards.Count - records.Count} of {shards.Count} shards did not end within {training.Value.ShardTimeout}");
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }

        var failed = records.Values.Where(r => r.Outcome == JobStates.Failed).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"{failed.Count} of {shards.Count} shards failed: {string.Join("; ", failed.Select(f => f.Detail))}");
        }

        var union = (await sharded.FinishAsync(target, layout, empty, options.Value.Reports, WaitForOtherTraining, cancellationToken)).Require();
        forecasts.Forget();
        var nodes = records.Values.Select(r => r.Node).Distinct().Count();
        var trained = records.Values.Count(r => r.Outcome == JobStates.Succeeded);
        var summary = $"{shards.Count} shards on {nodes} node(s), {trained} trained: {union.Decision}";
        context.Result = union.Manifest is null
            ? new JobOutcome(JobStates.Skipped, summary)
            : new JobOutcome(JobStates.Succeeded, summary, union.Manifest.Version);
    }

    /// <summary>The job store group of the shard triggers.</summary>
    public const string ShardGroup = "forecasting-shards";
}
