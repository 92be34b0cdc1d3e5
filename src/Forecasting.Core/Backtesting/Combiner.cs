namespace Forecasting.Core.Backtesting;

/// <summary>
/// Decides, per series, whether a weighted combination of its best models beats its best single model on
/// backtest forecasts (only the ones given: at a scored origin, those resolved by then), so the served forecast
/// is a combination only where the earlier origins say it helps.
/// </summary>
public static class Combiner
{
    /// <summary>What a served point made by a combination names as its model.</summary>
    public const string Model = "combination";

    /// <summary>
    /// The combination of one series' best models when its scaled MAE on the given points is lower than every
    /// single model's; null otherwise (the best single model serves). Errors are compared on the hours every model forecast.
    /// </summary>
    public static WeightedCombination? Decide(IEnumerable<BacktestPoint> seriesPoints)
    {
        var hours = Hours(seriesPoints, out var models);
        if (models.Count < 2 || hours.Count == 0)
        {
            return null;
        }

        var errors = models.ToDictionary(m => m, m => hours.Average(h => Math.Abs(h.Actual - h.Forecasts[m]) / h.Scale));
        var combination = WeightedCombination.FromErrors(errors);
        var combined = hours.Average(h => Math.Abs(h.Actual - combination.Combine(m => h.Forecasts[m])) / h.Scale);
        return combined < errors.Values.Min() ? combination : null;
    }

    /// <summary>The combination's forecast at every hour of the points where all its models forecast, as points of <paramref name="model"/>.</summary>
    public static IEnumerable<BacktestPoint> Points(IEnumerable<BacktestPoint> seriesPoints, WeightedCombination combination, string model)
    {
        ArgumentNullException.ThrowIfNull(seriesPoints);
        ArgumentNullException.ThrowIfNull(combination);
        foreach (var hour in seriesPoints.Where(p => p.Model != Backtester.Served && combination.Models.Contains(p.Model)).GroupBy(p => (p.Series, p.Fold, p.Step)))
        {
            var forecasts = hour.ToDictionary(p => p.Model, p => p.Forecast);
            if (combination.Models.All(forecasts.ContainsKey))
            {
                yield return hour.First() with { Forecast = combination.Combine(m => forecasts[m]), Model = model };
            }
        }
    }

    private static List<Hour> Hours(IEnumerable<BacktestPoint> seriesPoints, out List<string> models)
    {
        ArgumentNullException.ThrowIfNull(seriesPoints);
        var groups = seriesPoints
            .Where(p => p.Model != Backtester.Served && !double.IsNaN(p.Actual) && p.Scale > 0)
            .GroupBy(p => (p.Fold, p.Step))
            .Select(g => (First: g.First(), Forecasts: g.GroupBy(p => p.Model).ToDictionary(m => m.Key, m => m.First().Forecast)))
            .ToList();
        models = [.. groups.SelectMany(g => g.Forecasts.Keys).Distinct()];
        var count = models.Count;
        return [.. groups.Where(g => g.Forecasts.Count == count).Select(g => new Hour(g.First.Actual, g.First.Scale, g.Forecasts))];
    }

    private sealed record Hour(double Actual, double Scale, Dictionary<string, double> Forecasts);
}
