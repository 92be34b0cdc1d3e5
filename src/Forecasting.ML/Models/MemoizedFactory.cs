using Forecasting.Core.Forecasting;

namespace Forecasting.ML.Models;

/// <summary>
/// Remembers the forecasters fitted for the last set of histories, so an ensemble listed beside its
/// members reuses their fits instead of training them twice, and each fitted forecaster remembers its
/// last forecast, so the ensembles reuse their members' forecasts instead of computing them again (the
/// global FastTree's recursive forecast is the costly part of a backtest origin).
/// </summary>
public sealed class MemoizedFactory(IForecasterFactory inner) : IForecasterFactory
{
    private readonly Lock _lock = new();
    private IReadOnlyList<SeriesHistory>? _lastHistories;
    private IReadOnlyList<IForecaster>? _lastFitted;

    public string Name => inner.Name;

    public IForecasterFactory Inner => inner;

    public IReadOnlyList<IForecaster> FitAll(IReadOnlyList<SeriesHistory> histories, CancellationToken cancellationToken) =>
        Memo(histories, () => inner.FitAll(histories, cancellationToken));

    /// <summary>The same memo for refreshed forecasters: an ensemble asking for this origin's fits gets the refreshed ones.</summary>
    public IReadOnlyList<IForecaster> Refresh(IReadOnlyList<SeriesHistory> histories, IReadOnlyList<IForecaster?> earlier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return Memo(histories, () => inner.Refresh(histories, [.. earlier.Select(f => f is Remembering r ? r.Inner : f)], cancellationToken));
    }

    /// <summary>The forecasters of the last histories, or those <paramref name="fit"/> makes for new ones, each remembering its forecast.</summary>
    private IReadOnlyList<IForecaster> Memo(IReadOnlyList<SeriesHistory> histories, Func<IReadOnlyList<IForecaster>> fit)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(histories, _lastHistories))
            {
                _lastFitted = [.. fit().Select(f => (IForecaster)new Remembering(f))];
                _lastHistories = histories;
            }

            return _lastFitted!;
        }
    }

    /// <summary>A fitted forecaster that keeps its last forecast until it is fitted again (forecasts are deterministic).</summary>
    private sealed class Remembering(IForecaster inner) : IForecaster
    {
        private readonly Lock _lock = new();
        private double[]? _last;

        public string Name => inner.Name;

        public IForecaster Inner => inner;

        public void Fit(ReadOnlySpan<double> history)
        {
            lock (_lock)
            {
                _last = null;
                inner.Fit(history);
            }
        }

        public double[] Predict(int horizon)
        {
            lock (_lock)
            {
                if (_last is null || _last.Length != horizon)
                {
                    _last = inner.Predict(horizon);
                }

                // A copy: the caller may change its forecast without changing the remembered one.
                return (double[])_last.Clone();
            }
        }
    }
}
