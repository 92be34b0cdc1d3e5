using Forecasting.ML.Training;

namespace Forecasting.Application;

/// <summary>The registered version and its backtest, and the usage it was trained on (a forecast that follows reuses it).</summary>
public sealed record TrainResult(TrainingOutcome Outcome, UsageData Data);
