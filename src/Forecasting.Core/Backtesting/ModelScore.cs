namespace Forecasting.Core.Backtesting;

/// <summary>Accuracy of one model (or of the served forecast) over scored folds. RelativeMae is MAE over seasonal naive's MAE on the same points.</summary>
public sealed record ModelScore(string Model, double Mae, double Smape, double Mase, double RelativeMae, double Coverage, int Points);
