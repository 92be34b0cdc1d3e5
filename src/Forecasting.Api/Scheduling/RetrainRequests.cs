using System.Globalization;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Forecasting.Api.Scheduling;

/// <summary>
/// At most one retrain waiting or running per target. A request becomes a one-shot trigger under a fixed
/// key (<see cref="TriggerKey"/>); a request while that trigger exists (queued, or fired and running: Quartz
/// deletes a one-shot trigger only when its run ends), or while a retrain runs here (the weekly one), is
/// answered with that retrain. With the PostgreSQL job store the trigger is a row in the cluster's store, so
/// a request on another node finds it too (storing a second trigger under the same key fails atomically).
/// </summary>
public sealed class RetrainRequests(ISchedulerFactory schedulers, JobHistory history, TimeProvider time, ILogger<RetrainRequests> logger) : IDisposable
{
    public static readonly TriggerKey TriggerKey = new("retrain-requested", "forecasting");

    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<RetrainTicket> RequestAsync(string target, string? reason, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                if (await ExistingAsync(scheduler, cancellationToken) is { } existing)
                {
                    JobLog.RetrainAlreadyRequested(logger, existing.Id, existing.State);
                    return existing;
                }

                var id = Guid.NewGuid().ToString();
                var now = time.GetUtcNow();
                var trigger = TriggerBuilder.Create()
                    .WithIdentity(TriggerKey)
                    .ForJob(RetrainJob.Key)
                    .UsingJobData(JobHistory.IdKey, id)
                    .UsingJobData(JobHistory.ReasonKey, reason ?? "api")
                    .UsingJobData(JobHistory.RequestedAtKey, now.ToString("O", CultureInfo.InvariantCulture))
                    // The scheduler's clock (Quartz takes the service's TimeProvider), not StartNow's system clock.
                    .StartAt(now)
                    .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                    .Build();
                // Decided under the job store's lock: of two nodes storing this key at once, one stores it.
                var stored = await scheduler.ScheduleTrigger(trigger, TriggerConflict.Keep, cancellationToken);
                if (stored.Outcome != ScheduleOutcome.Kept || attempt >= 3)
                {
                    JobLog.RetrainRequested(logger, id, target, reason ?? "api");
                    return new RetrainTicket(id, JobStates.Queued, now, reason ?? "api", false);
                }

                // Another node stored one between our look and our write: answer with that one.
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The requested retrain waiting or running (its trigger), else a retrain running on this node; null when none.</summary>
    public async Task<RetrainTicket?> ExistingAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        // With the PostgreSQL job store, the firings running anywhere in the cluster.
        var executing = (await scheduler.QueryFireInstances(new FireInstanceQuery { Job = RetrainJob.Key }, cancellationToken)).Items
            .Where(f => f.State == FireInstanceState.Executing).ToList();
        if (await scheduler.GetTrigger(TriggerKey, cancellationToken) is { } trigger)
        {
            var data = trigger.JobDataMap;
            var id = data.GetString(JobHistory.IdKey) ?? trigger.Key.Name;
            // Its firing is recorded while it runs (in the cluster's store with PostgreSQL), or this node's history has it.
            var running = executing.Any(c => c.TriggerKey.Equals(TriggerKey))
                || history.Runs.Any(r => r.Id == id && r.Outcome == JobStates.Running);
            DateTimeOffset? requestedAt = DateTimeOffset.TryParse(data.GetString(JobHistory.RequestedAtKey), CultureInfo.InvariantCulture, out var at) ? at : null;
            return new RetrainTicket(id, running ? JobStates.Running : JobStates.Queued, requestedAt, data.GetString(JobHistory.ReasonKey), true);
        }

        if (executing.Count > 0)
        {
            var current = executing[0];
            var run = history.Runs.LastOrDefault(r => r.Job == RetrainJob.Key.Name && r.Outcome == JobStates.Running);
            return new RetrainTicket(run?.Id ?? current.FireInstanceId, JobStates.Running, run?.RequestedAt, run?.Reason, true);
        }

        return null;
    }

    public void Dispose() => _gate.Dispose();
}
