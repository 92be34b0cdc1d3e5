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
}
