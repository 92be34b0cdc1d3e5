using Forecasting.Api.Scheduling;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Forecasting.Api.Notifications;

/// <summary>Runs the notifier's checks after each refresh and notifies failed jobs, off the job's thread.</summary>
internal sealed class NoticeJobListener(Notifier notifier, ILogger<NoticeJobListener> logger) : IJobListener
{
    public string Name => "forecasting-notices";

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobProgressChanged(IJobExecutionContext context, Quartz.Extensibility.FireInstanceProgress progress, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!notifier.Enabled)
        {
            return ValueTask.CompletedTask;
        }

        var job = context.JobDetail.Key.Name;
        if (jobException is null)
        {
            notifier.JobSucceeded(job);
        }

        _ = Task.Run(async () =>
        {
            try
            {
                if (jobException is not null)
                {
                    await notifier.JobFailedAsync(job, jobException.InnerException?.Message ?? jobException.Message, CancellationToken.None);
                }
                else if (job == RefreshJob.Key.Name)
                {
                    await notifier.CheckAsync(CancellationToken.None);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                NotifyLog.CheckFailed(logger, e);
            }
        }, CancellationToken.None);
        return ValueTask.CompletedTask;
    }
}
