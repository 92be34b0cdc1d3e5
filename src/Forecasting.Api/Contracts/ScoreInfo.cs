namespace Forecasting.Api.Contracts;

/// <summary>
/// A model's backtest accuracy: MAE in the target's unit, sMAPE (%), MASE, MAE relative to seasonal
/// naive, and the 80% interval's coverage (null when the model has no interval or no value is defined).
/// </summary>
public sealed record ScoreInfo(string Model, double? Mae, double? Smape, double? Mase, double? RelativeMae, double? Coverage, int Points)
{
    internal static ScoreInfo From(Core.Backtesting.ModelScore score) =>
        new(score.Model, Finite(score.Mae), Finite(score.Smape), Finite(score.Mase), Finite(score.RelativeMae), Finite(score.Coverage), score.Points);

    internal static double? Finite(double value) => FiniteNumber.OrNull(value);
}
