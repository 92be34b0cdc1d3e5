using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;

namespace Forecasting.Benchmarks;

/// <summary>Model selection by backtest: per series, the model with the lowest scaled MAE on the scored origins.</summary>
internal static class ForecastEngine
{
    public static Dictionary<string, string> SelectModels(IReadOnlyList<NamedSeries> series, IReadOnlyList<IForecasterFactory> models, BacktestOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(models);
        var result = Backtester.Run(series, models, options, null, cancellationToken);
        var choice = Backtester.Choose(result.Points.Where(p => p.Fold >= options.WarmupFolds));
        // Series too short to backtest get the ensemble.
        return series.ToDictionary(s => s.Name, s => choice.TryGetValue(s.Name, out var m) ? m : models[^1].Name);
    }
}
