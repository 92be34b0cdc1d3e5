namespace Forecasting.Api.Contracts;

/// <summary>The hourly forecast of one series, with its cost when the series' models are priced.</summary>
public sealed record ForecastResponse(
    string Series,
    string Model,
    string Target,
    DateTimeOffset GeneratedAt,
    string ModelVersion,
    DateTimeOffset Origin,
    bool Stale,
    double? UsdPerMillionTokens,
    IReadOnlyList<ForecastHour> Points);
