namespace Forecasting.Api.Contracts;

/// <summary>The forecast of the hour after the current one.</summary>
public sealed record AutoscaleNextHour(DateTimeOffset Hour, double P50, double P90);
