using System.Diagnostics.CodeAnalysis;

namespace Forecasting.Api.Services;

/// <summary>
/// Where <c>POST /api/v1/retrain</c> puts a request: a fire of the Quartz retrain job when the scheduler
/// runs (<see cref="Scheduling.QuartzRetrainQueue"/>), otherwise a record kept in this process.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a queue: first in, first out.")]
public interface IRetrainQueue
{
    ValueTask EnqueueAsync(RetrainRequest request, CancellationToken cancellationToken);
}
