namespace Forecasting.Core.Planning;

/// <summary>
/// A forecast day (UTC) of one series: its p50 total in the target's unit, and its cost p50 with the
/// day's 80% band (from the backtest's errors of whole days when known, see <see cref="PlanInput.DailyBands"/>).
/// </summary>
public sealed record DailyTotal(string Series, DateOnly Day, double Value, double? CostUsd, double? CostP10, double? CostP90);
