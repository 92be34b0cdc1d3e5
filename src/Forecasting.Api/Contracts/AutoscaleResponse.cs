namespace Forecasting.Api.Contracts;

/// <summary>
/// The autoscale answer, KEDA metrics-api compatible: KEDA reads <c>recommended.value</c>.
/// Serialized in snake_case; field names are a contract. <see cref="StaleReason"/> is null when fresh, else
/// <c>data_old</c>, <c>forecast_old</c> or <c>beyond_horizon</c>; <see cref="DataLastHour"/> is the newest stored usage hour.
/// <see cref="Points"/> is the series' forecast hours, or null when asked for with <c>points=none</c> (a scaler reads one number).
/// </summary>
public sealed record AutoscaleResponse(
    DateTimeOffset GeneratedAt,
    string ModelVersion,
    bool Stale,
    string? StaleReason,
    DateTimeOffset? DataLastHour,
    DateTimeOffset ForecastEnd,
    string Series,
    string Metric,
    DateTimeOffset Origin,
    AutoscaleNextHour NextHour,
    AutoscaleRecommendation Recommended,
    IReadOnlyList<AutoscalePoint>? Points);
