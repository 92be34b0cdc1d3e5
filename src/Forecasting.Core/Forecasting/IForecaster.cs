namespace Forecasting.Core.Forecasting;

/// <summary>
/// A point forecaster of one hourly series. <c>Fit</c> sees the history (NaN marks a gap, a known
/// missing hour); <c>Predict</c> returns the next <c>horizon</c> hours after the last one seen.
/// Prediction intervals are added by calibration on backtest residuals, not by the forecaster.
/// </summary>
public interface IForecaster
{
    /// <summary>Short name used in CSV output and the registry: snaive, ssa, fasttree, ensemble.</summary>
    string Name { get; }

    void Fit(ReadOnlySpan<double> history);

    double[] Predict(int horizon);
}
