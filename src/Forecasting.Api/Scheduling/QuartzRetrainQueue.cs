using System.Diagnostics.CodeAnalysis;
using Forecasting.Api.Services;
using Quartz;

namespace Forecasting.Api.Scheduling;

/// <summary>
/// A retrain request becomes an immediate fire of the retrain job. With the PostgreSQL job store the
/// fire is stored and runs once in the cluster, after any retrain already running (the job disallows
/// concurrent execution).
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Implements IRetrainQueue.")]
public sealed class QuartzRetrainQueue(ISchedulerFactory schedulers) : IRetrainQueue
{
    public async ValueTask EnqueueAsync(RetrainRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.TriggerJob(RetrainJob.Key, new JobDataMap { ["reason"] = request.Reason ?? "api" }, cancellationToken);
    }
}
