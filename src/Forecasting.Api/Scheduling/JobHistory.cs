using Microsoft.Extensions.Logging;
using Quartz;

namespace Forecasting.Api.Scheduling;

/// <summary>The last runs of each job in this process, filled by a Quartz job listener, which also logs every run's start and end.</summary>
public sealed class JobHistory(ILogger<JobHistory> logger) : IJobListener
{
    private const int Kept = 50;
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

    /// <summary>The key under which a requested retrain's id travels in its trigger's data.</summary>
    public const string IdKey = "id";
    public const string ReasonKey = "reason";
    public const string RequestedAtKey = "requested_at";

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var run = Start(context);
        Add(run);
        JobLog.Started(logger, run.Job, run.Id!, run.Instance, run.Recovering);
        return ValueTask.CompletedTask;
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobProgressChanged(IJobExecutionContext context, Quartz.Extensibility.FireInstanceProgress progress, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Start(context);
        lock (_lock)
        {
            _runs.RemoveAll(r => r.Job == started.Job && r.StartedAt == started.StartedAt && r.FinishedAt is null);
        }

        var outcome = context.Result as JobOutcome;
        var detail = jobException?.InnerException?.Message ?? jobException?.Message ?? outcome?.Detail ?? context.Result?.ToString();
        var run = started with
        {
            FinishedAt = context.FireTimeUtc + context.JobRunTime,
            Outcome = jobException is not null ? JobStates.Failed : outcome?.State ?? JobStates.Succeeded,
            Detail = detail,
            ModelVersion = outcome?.ModelVersion,
        };
        Add(run);
        if (jobException is not null)
        {
            JobLog.Failed(logger, run.Job, run.Id!, context.JobRunTime.TotalSeconds, detail, jobException);
        }
        else
        {
            JobLog.Finished(logger, run.Job, run.Id!, run.Outcome, context.JobRunTime.TotalSeconds, run.ModelVersion, detail);
        }

        return ValueTask.CompletedTask;
    }

    private static JobRun Start(IJobExecutionContext context)
    {
        var data = context.MergedJobDataMap;
        var id = data.TryGetString(IdKey, out var requested) && requested is not null ? requested : context.FireInstanceId;
        var reason = data.TryGetString(ReasonKey, out var r) ? r : null;
        DateTimeOffset? requestedAt = data.TryGetString(RequestedAtKey, out var at) && DateTimeOffset.TryParse(at, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        return new JobRun(context.JobDetail.Key.Name, context.Scheduler.SchedulerInstanceId, context.ScheduledFireTimeUtc, context.FireTimeUtc, null, JobStates.Running, null, context.Recovering, id, null, reason, requestedAt);
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
