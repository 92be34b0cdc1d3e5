namespace Forecasting.Api.Contracts;

/// <summary>
/// The autoscale answer, KEDA metrics-api compatible: KEDA reads <c>recommended.value</c>.
/// Serialized in snake_case; field names are a contract.
/// </summary>
public sealed record AutoscaleResponse(
    DateTimeOffset GeneratedAt,
    string ModelVersion,
    bool Stale,
    string Series,
    string Metric,
    DateTimeOffset Origin,
    AutoscaleNextHour NextHour,
    AutoscaleRecommendation Recommended,
    IReadOnlyList<AutoscalePoint> Points);
