namespace Forecasting.Api.Contracts;

/// <summary>
/// The latest forecast's age and freshness now: <see cref="StaleReason"/> is null when fresh, else <c>data_old</c>,
/// <c>forecast_old</c> or <c>beyond_horizon</c> (as the autoscale answer says it).
/// </summary>
public sealed record ForecastHealth(DateTimeOffset GeneratedAt, string ModelVersion, double AgeSeconds, bool Stale, string? StaleReason = null, DateTimeOffset? DataLastHour = null, DateTimeOffset? ForecastEnd = null);
