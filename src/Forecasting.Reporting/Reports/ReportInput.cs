using Forecasting.Core.Backtesting;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;

namespace Forecasting.Reporting.Reports;

/// <summary>Everything a report shows: the plan, the history behind it, the champion's backtest, the model versions and the service quality per model and day.</summary>
public sealed record ReportInput(
    Plan Plan,
    IReadOnlyList<HourlySeries> History,
    IReadOnlyList<BacktestPoint> LatestBacktest,
    IReadOnlyList<ModelScore> BacktestScores,
    IReadOnlyList<ReportModelVersion> Versions,
    IReadOnlyDictionary<string, IReadOnlyList<(DateOnly Day, double Cost)>> DailyCostByModel,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<ServiceQualityDay>? ServiceQuality = null);
