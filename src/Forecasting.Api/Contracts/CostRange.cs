namespace Forecasting.Api.Contracts;

/// <summary>Forecast cost of one hour in USD.</summary>
public sealed record CostRange(double P10, double P50, double P90);
