using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.ML.Selection;
using Forecasting.ML.Validation;

namespace Forecasting.Benchmarks;

/// <summary>
/// Model selection by backtest, as <c>train</c> selects (<see cref="Combiner.Select"/> on every origin): per series, the
/// model with the lowest scaled MAE, or a weighted combination of its best models where that was lower still.
/// </summary>
internal static class ForecastEngine
{
    /// <summary>The selection, with the backtest it ran (its residuals calibrate the intervals).</summary>
    public static Dictionary<string, string> SelectModels(IReadOnlyList<NamedSeries> series, IReadOnlyList<IForecasterFactory> models, BacktestOptions options, CancellationToken cancellationToken, out BacktestResult result, out ModelSelection selection)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(models);
        result = Backtester.Run(series, models, options, null, cancellationToken);
        selection = Combiner.Select((BacktestPoints)result.Points, _ => false, cancellationToken);
        var names = selection.Names;

        // Series too short to backtest get the ensemble.
        return series.ToDictionary(s => s.Name, s => names.TryGetValue(s.Name, out var m) ? m : models[^1].Name);
    }
}
