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
    IReadOnlyList<ServiceQualityDay>? ServiceQuality = null)
{
    /// <summary>
    /// Hours of history of the longest series the forecasting version was trained on (its manifest's data window): under
    /// <see cref="BacktestOptions.WeeklyHistory"/> the version is in the young regime (daily-period models).
    /// </summary>
    public int? TrainedHistoryHours { get; init; }
}
