using System.Collections.Concurrent;

namespace Forecasting.Application;

/// <summary>
/// Each source's last success and failure, as collections record them (the service holds one, and
/// <c>/health</c> can read it). In memory: a restarted instance knows again after its next collection.
/// </summary>
public sealed class SourceStatus
{
    private readonly ConcurrentDictionary<string, SourceState> _states = new(StringComparer.Ordinal);

    public IReadOnlyList<SourceState> All => [.. _states.Values.OrderBy(s => s.Name, StringComparer.Ordinal)];

    public SourceState? Get(string name) => _states.GetValueOrDefault(name);

    public void Record(SourceResult result, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(result);
        _states.AddOrUpdate(
            result.Name,
            _ => result.Succeeded
                ? new SourceState(result.Name, at, result.Outcome!.RowsStored, null, null)
                : new SourceState(result.Name, null, null, at, result.Error),
            (_, old) => result.Succeeded
                ? old with { LastSuccess = at, LastRows = result.Outcome!.RowsStored }
                : old with { LastFailure = at, LastError = result.Error });
    }
}
