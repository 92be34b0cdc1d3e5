using Forecasting.Core.Backtesting;
using Forecasting.ML.Validation;

namespace Forecasting.ML.Selection;

/// <summary>The choice of a series' model: the one with the lowest scaled MAE on the backtest forecasts given.</summary>
public static class ModelChoice
{
    /// <summary>Per series, the model with the lowest scaled MAE over the given points.</summary>
    /// <remarks>One pass with a running sum per series and model: nothing is buffered (millions of points at 1,000 series).</remarks>
    public static Dictionary<string, string> Choose(IEnumerable<BacktestPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var errors = new ModelErrors();
        foreach (var p in points)
        {
            if (p.Model != ModelScore.Served)
            {
                errors.Add(p.Series, p.Model, p.Actual, p.Forecast, p.Scale);
            }
        }

        return errors.Best();
    }

    /// <summary>
    /// <see cref="Choose(IEnumerable{BacktestPoint})"/> over each block's hours up to <paramref name="lastStep"/>(fold, series,
    /// model), read in place (<see cref="BacktestPoints.ForEachHour"/>).
    /// </summary>
    public static Dictionary<string, string> Choose(BacktestPoints points, Func<int, string, string, int> lastStep)
    {
        ArgumentNullException.ThrowIfNull(points);
        var errors = new ModelErrors();
        points.ForEachHour(lastStep, (series, model, _, actual, forecast, scale) => errors.Add(series, model, actual, forecast, scale));
        return errors.Best();
    }
}
