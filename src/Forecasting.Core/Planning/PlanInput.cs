using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;

namespace Forecasting.Core.Planning;

/// <summary>
/// What the planner needs: the token forecast, the token history, the stored usage rows (price mix,
/// tokens per request, month-to-date spend), recent served backtest forecasts with actuals (anomalies),
/// and the champion's health.
/// </summary>
public sealed record PlanInput(
    ForecastRun Forecast,
    IReadOnlyList<HourlySeries> History,
    IReadOnlyList<HourlyUsage> Usage,
    IReadOnlyList<BacktestPoint> RecentServed,
    ModelHealth Health,
    DateTimeOffset Now);
