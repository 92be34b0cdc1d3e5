namespace Forecasting.Api.Contracts;

/// <summary>
/// The hourly forecast of one series in the target's <c>unit</c>, with its cost when the series' models are
/// priced; <c>usd_per_million</c> is the blended price of a million units (null for a cost forecast).
/// <c>stale</c> and <c>stale_reason</c> follow the autoscale answer's rule (<c>data_old</c>, <c>forecast_old</c>, <c>beyond_horizon</c>).
/// </summary>
public sealed record ForecastResponse(
    string Series,
    string Model,
    string Target,
    string Unit,
    DateTimeOffset GeneratedAt,
    string ModelVersion,
    DateTimeOffset Origin,
    bool Stale,
    string? StaleReason,
    double? UsdPerMillion,
    IReadOnlyList<ForecastHour> Points)
{
    public double? UsdPerMillion { get; init; } = FiniteNumber.OrNull(UsdPerMillion);
}
