namespace Forecasting.Core.Planning;

/// <summary>Forecast cost of one hour in USD.</summary>
public sealed record CostPoint(DateTimeOffset Hour, double P10, double P50, double P90);
