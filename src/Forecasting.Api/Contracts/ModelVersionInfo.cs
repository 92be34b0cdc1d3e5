namespace Forecasting.Api.Contracts;

/// <summary>One model version: when and on what it was trained, its backtest scores and the promotion decision.</summary>
public sealed record ModelVersionInfo(
    string Version,
    bool IsChampion,
    DateTimeOffset TrainedAt,
    DataWindowInfo DataWindow,
    string FeatureSet,
    int BacktestHorizon,
    int BacktestFolds,
    ScoreInfo? Served,
    IReadOnlyList<ScoreInfo> Scores,
    string? Decision);
