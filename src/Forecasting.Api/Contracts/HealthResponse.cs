namespace Forecasting.Api.Contracts;

/// <summary>Liveness of the service's dependencies: status is <c>healthy</c> when the store answers.</summary>
public sealed record HealthResponse(string Status, StoreHealth Store, ForecastHealth? Forecast, SchedulerHealth? Scheduler = null);
