namespace Forecasting.Api.Contracts;

/// <summary>The series of the latest forecast (none before the first forecast) and what the store holds.</summary>
public sealed record SeriesListResponse(string Target, DateTimeOffset? GeneratedAt, string? ModelVersion, StoreSummary Store, IReadOnlyList<SeriesItem> Series);
