using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;

namespace Forecasting.Core.Planning;

/// <summary>
/// What the planner needs: the forecast and what it counts, the history, the stored usage rows
/// (price mix, units per request, month-to-date spend), recent served backtest forecasts with
/// actuals (anomalies), the champion's health, and per series the 80% band of a whole day's total
/// as ratios to its forecast (from the backtest; absent: the sum of hourly quantiles, which is wider).
/// </summary>
public sealed record PlanInput(
    ForecastRun Forecast,
    IReadOnlyList<HourlySeries> History,
    IReadOnlyList<HourlyUsage> Usage,
    IReadOnlyList<BacktestPoint> RecentServed,
    ModelHealth Health,
    DateTimeOffset Now)
{
    /// <summary>What the plan is measured in: the forecast's target.</summary>
    public ForecastTarget Target => Forecast.Target;

    public IReadOnlyDictionary<string, (double Low, double High)> DailyBands { get; init; } = new Dictionary<string, (double Low, double High)>();
}
