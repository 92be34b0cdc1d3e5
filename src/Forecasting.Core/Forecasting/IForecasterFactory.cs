namespace Forecasting.Core.Forecasting;

/// <summary>
/// Makes fitted forecasters for a set of series at one origin. A local model fits each series on
/// its own; a global model (FastTree) learns once from all of them. Backtests and production both go
/// through this, so a backtest measures exactly what production would serve.
/// </summary>
public interface IForecasterFactory
{
    string Name { get; }

    /// <summary>One fitted forecaster per history, in order.</summary>
    IReadOnlyList<IForecaster> FitAll(IReadOnlyList<SeriesHistory> histories, CancellationToken cancellationToken);

    /// <summary>
    /// One forecaster per history, in order, reusing the estimates of <paramref name="earlier"/> (this model fitted at an
    /// earlier origin, the same series at the same index, null where there is none) where they are
    /// <see cref="IRefreshable"/>, fitted anew where not. The default fits every history anew.
    /// </summary>
    IReadOnlyList<IForecaster> Refresh(IReadOnlyList<SeriesHistory> histories, IReadOnlyList<IForecaster?> earlier, CancellationToken cancellationToken) =>
        FitAll(histories, cancellationToken);
}
