using Forecasting.Core.Forecasting;

namespace Forecasting.Core.Backtesting;

/// <summary>
/// Everything a backtest produced: every model's points on every fold, the served forecast on the
/// scored folds (one per series × origin × hour, the one production would have served, with its
/// interval), and scores per model.
/// </summary>
public sealed record BacktestResult(
    BacktestOptions Options,
    IReadOnlyList<BacktestPoint> Points,
    IReadOnlyList<BacktestPoint> Served,
    IReadOnlyList<ModelScore> Scores,
    IReadOnlyDictionary<string, IReadOnlyList<ModelScore>> ScoresBySeries)
{
    /// <summary>Series × model pairs a model could not fit or forecast at some origin (first error each); the rest of the backtest went on.</summary>
    public IReadOnlyList<SkippedSeries> Skipped { get; init; } = [];
}
