namespace Forecasting.Core.Planning;

/// <summary>The champion's backtest figures and age, for the model-health recommendation.</summary>
public sealed record ModelHealth(string Version, DateTimeOffset TrainedAt, double RelativeMae, double Coverage);
