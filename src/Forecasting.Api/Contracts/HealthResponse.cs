namespace Forecasting.Api.Contracts;

/// <summary>
/// The service's dependencies: status is <c>healthy</c>, <c>degraded</c> (the store answers but the forecast is
/// missing or stale; <see cref="Reason"/> says which) or <c>unhealthy</c> (the store does not answer; 503).
/// </summary>
public sealed record HealthResponse(string Status, StoreHealth Store, ForecastHealth? Forecast, SchedulerHealth? Scheduler = null, string? Reason = null);
