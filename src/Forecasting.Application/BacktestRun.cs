using Forecasting.Core.Backtesting;
using Forecasting.Core.Series;

namespace Forecasting.Application;

/// <summary>A backtest's scores and served forecasts, over how many series of which target.</summary>
public sealed record BacktestRun(BacktestResult Result, int SeriesCount, ForecastTarget Target);
