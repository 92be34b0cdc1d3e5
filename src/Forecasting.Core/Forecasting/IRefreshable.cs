namespace Forecasting.Core.Forecasting;

/// <summary>
/// A fitted forecaster whose estimates can forecast a later origin of the same series without being estimated again:
/// the global FastTree between two retrains, SSA's eigenvectors. The backtest estimates such models only every
/// <see cref="Backtesting.BacktestOptions.RefitHours"/> hours of origins, as production retrains weekly and forecasts
/// from newer data in between; estimation is most of a backtest origin's cost.
/// </summary>
public interface IRefreshable
{
    /// <summary>
    /// A forecaster with this one's estimates that forecasts the hours after <paramref name="history"/>, a later
    /// history of the same series; null when the estimates do not fit it (the model must be fitted anew).
    /// </summary>
    IForecaster? Refresh(SeriesHistory history);
}
