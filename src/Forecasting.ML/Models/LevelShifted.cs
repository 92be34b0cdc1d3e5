using Forecasting.Core.Forecasting;

namespace Forecasting.ML.Models;

/// <summary>
/// A per-series model fitted on its history at the new level where the level shifted recently
/// (<see cref="LevelShift.Adjust"/>): the same model, the same name, refreshed as the model refreshes.
/// </summary>
public sealed class LevelShifted(IForecaster inner) : IForecaster, IRefreshable
{
    public string Name => inner.Name;

    /// <summary>The model fitted on the adjusted history.</summary>
    public IForecaster Inner => inner;

    public void Fit(ReadOnlySpan<double> history)
    {
        if (LevelShift.Detect(history) is null)
        {
            inner.Fit(history);
            return;
        }

        inner.Fit(LevelShift.Adjust(history.ToArray()).Span);
    }

    public double[] Predict(int horizon) => inner.Predict(horizon);

    public IForecaster? Refresh(SeriesHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return inner is IRefreshable refreshable && refreshable.Refresh(history with { Values = LevelShift.Adjust(history.Values) }) is { } refreshed
            ? new LevelShifted(refreshed)
            : null;
    }
}
