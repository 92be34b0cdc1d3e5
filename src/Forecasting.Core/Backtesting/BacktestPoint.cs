namespace Forecasting.Core.Backtesting;

/// <summary>
/// One forecast hour of a backtest. <see cref="Origin"/> is the index of the last hour the model saw,
/// <see cref="Step"/> runs 1..horizon. <see cref="Scale"/> is the series level at the origin, the unit
/// of interval calibration. P10/P90 are NaN until calibrated.
/// </summary>
public sealed record BacktestPoint(
    string Series,
    int Fold,
    int Origin,
    int Step,
    DateTimeOffset? Hour,
    double Actual,
    double Forecast,
    string Model,
    double Scale)
{
    public double P10 { get; init; } = double.NaN;

    public double P90 { get; init; } = double.NaN;

    /// <summary>For a served point, the model that produced it.</summary>
    public string? ServedBy { get; init; }

    public DateTimeOffset? OriginHour => Hour?.AddHours(-Step);
}
