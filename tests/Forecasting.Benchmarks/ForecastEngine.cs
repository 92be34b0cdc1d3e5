using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;

namespace Forecasting.Benchmarks;

/// <summary>
/// Model selection by backtest: per series, the model with the lowest scaled MAE on the scored origins, or a
/// weighted combination of its best models (<see cref="Forecasting.ML.WeightedCombination"/>) where that was lower still.
/// </summary>
internal static class ForecastEngine
{
    public static Dictionary<string, string> SelectModels(IReadOnlyList<NamedSeries> series, IReadOnlyList<IForecasterFactory> models, BacktestOptions options, CancellationToken cancellationToken) =>
        SelectModels(series, models, options, cancellationToken, out _);

    /// <summary>The same, with the backtest it ran (its residuals calibrate the intervals).</summary>
    public static Dictionary<string, string> SelectModels(IReadOnlyList<NamedSeries> series, IReadOnlyList<IForecasterFactory> models, BacktestOptions options, CancellationToken cancellationToken, out BacktestResult result)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(models);
        result = Backtester.Run(series, models, options, null, cancellationToken);
        var scored = result.Points.Where(p => p.Fold >= options.WarmupFolds).ToList();
        var choice = Backtester.Choose(scored);
        // Where a weighted combination of a series' best models beat each of them, its name (holding the weights) is the choice.
        foreach (var own in scored.GroupBy(p => p.Series))
        {
            if (Combiner.Decide(own) is { } combination)
            {
                choice[own.Key] = combination.Name;
            }
        }

        // Series too short to backtest get the ensemble.
        return series.ToDictionary(s => s.Name, s => choice.TryGetValue(s.Name, out var m) ? m : models[^1].Name);
    }
}
