namespace Forecasting.Api.Contracts;

/// <summary>One forecast hour; <see cref="CostUsd"/> is null when the cost is unknown.</summary>
public sealed record ForecastHour(DateTimeOffset Hour, double P10, double P50, double P90, CostRange? CostUsd);
