namespace Forecasting.Api.Contracts;

/// <summary>The plan stored with the latest forecast: recommendations with their reasons, and per-series summaries.</summary>
public sealed record RecommendationsResponse(
    DateTimeOffset GeneratedAt,
    string ModelVersion,
    string Target,
    string Currency,
    double PerUsd,
    IReadOnlyList<RecommendationItem> Recommendations,
    IReadOnlyList<SeriesSummaryItem> Summaries,
    IReadOnlyList<string> Warnings);
