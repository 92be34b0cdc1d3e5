using Quartz;

namespace Forecasting.Api.Scheduling;

/// <summary>The last runs of each job in this process, filled by a Quartz job listener.</summary>
public sealed class JobHistory : IJobListener
{
    private const int Kept = 20;
    private readonly List<JobRun> _runs = [];
    private readonly Lock _lock = new();

    public string Name => "forecasting-job-history";

    public IReadOnlyList<JobRun> Runs
    {
        get
        {
            lock (_lock)
            {
                return [.. _runs];
            }
        }
    }

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(new JobRun(context.JobDetail.Key.Name, context.Scheduler.SchedulerInstanceId, context.ScheduledFireTimeUtc, context.FireTimeUtc, null, "running", null, context.Recovering));
        return ValueTask.CompletedTask;
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobProgressChanged(IJobExecutionContext context, Quartz.Extensibility.FireInstanceProgress progress, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        lock (_lock)
        {
            _runs.RemoveAll(r => r.Job == context.JobDetail.Key.Name && r.StartedAt == context.FireTimeUtc && r.FinishedAt is null);
        }

        Add(new JobRun(
            context.JobDetail.Key.Name,
            context.Scheduler.SchedulerInstanceId,
            context.ScheduledFireTimeUtc,
            context.FireTimeUtc,
            context.FireTimeUtc + context.JobRunTime,
            jobException is null ? "succeeded" : "failed",
            jobException?.InnerException?.Message ?? jobException?.Message ?? context.Result?.ToString(),
            context.Recovering));
        return ValueTask.CompletedTask;
    }

    private void Add(JobRun run)
    {
        lock (_lock)
        {
            _runs.Add(run);
            if (_runs.Count > Kept)
            {
                _runs.RemoveAt(0);
            }
        }
    }
}
