namespace Forecasting.Api.Contracts;

/// <summary>
/// The series of the latest forecast (none before the first forecast), the series it left out with the reason
/// (<c>too new to forecast: 3 h</c>; stored with the run's plan), and what the store holds.
/// </summary>
public sealed record SeriesListResponse(string Target, DateTimeOffset? GeneratedAt, string? ModelVersion, StoreSummary Store, IReadOnlyList<SeriesItem> Series, IReadOnlyList<SkippedSeriesItem> Skipped);
