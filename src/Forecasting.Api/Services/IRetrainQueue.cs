using System.Diagnostics.CodeAnalysis;

namespace Forecasting.Api.Services;

/// <summary>Where retrain requests wait for the scheduler (in memory now; a Quartz trigger later).</summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a queue: first in, first out.")]
public interface IRetrainQueue
{
    ValueTask EnqueueAsync(RetrainRequest request, CancellationToken cancellationToken);

    bool TryDequeue(out RetrainRequest? request);

    int Count { get; }
}
