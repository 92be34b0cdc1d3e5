using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Forecasting.Api.Services;

/// <summary>Retrain requests recorded in this process when no scheduler runs (lost on restart; nothing runs them).</summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a queue: first in, first out.")]
public sealed class InMemoryRetrainQueue : IRetrainQueue
{
    private readonly ConcurrentQueue<RetrainRequest> _requests = new();

    public int Count => _requests.Count;

    public ValueTask EnqueueAsync(RetrainRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _requests.Enqueue(request);
        return ValueTask.CompletedTask;
    }

    public bool TryDequeue(out RetrainRequest? request) => _requests.TryDequeue(out request);
}
