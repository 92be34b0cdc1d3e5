namespace Forecasting.Core.Forecasting;

/// <summary>
/// Remembers the forecasters fitted for the last set of histories, so an ensemble listed beside its
/// members reuses their fits instead of training them twice.
/// </summary>
public sealed class MemoizedFactory(IForecasterFactory inner) : IForecasterFactory
{
    private readonly Lock _lock = new();
    private IReadOnlyList<SeriesHistory>? _lastHistories;
    private IReadOnlyList<IForecaster>? _lastFitted;

    public string Name => inner.Name;

    public IForecasterFactory Inner => inner;

    public IReadOnlyList<IForecaster> FitAll(IReadOnlyList<SeriesHistory> histories, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(histories, _lastHistories))
            {
                _lastFitted = inner.FitAll(histories, cancellationToken);
                _lastHistories = histories;
            }

            return _lastFitted!;
        }
    }
}
