using Forecasting.Core.Backtesting;
using Forecasting.ML.Registry;

namespace Forecasting.Api.Contracts;

/// <summary>One model version: when and on what it was trained, its backtest scores and the promotion decision.</summary>
public sealed record ModelVersionInfo(
    string Version,
    bool IsChampion,
    DateTimeOffset TrainedAt,
    DataWindow DataWindow,
    string FeatureSet,
    int BacktestHorizon,
    int BacktestFolds,
    ModelScore? Served,
    IReadOnlyList<ModelScore> Scores,
    string? Decision);
