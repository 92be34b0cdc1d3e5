namespace Forecasting.Api.Contracts;

/// <summary>The latest forecast's age.</summary>
public sealed record ForecastHealth(DateTimeOffset GeneratedAt, string ModelVersion, double AgeSeconds, bool Stale);
