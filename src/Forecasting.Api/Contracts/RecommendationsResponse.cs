using Forecasting.Core.Planning;

namespace Forecasting.Api.Contracts;

/// <summary>The planner's output for the latest forecast: recommendations with their reasons, and per-series summaries.</summary>
public sealed record RecommendationsResponse(
    DateTimeOffset GeneratedAt,
    string ModelVersion,
    string Currency,
    double PerUsd,
    IReadOnlyList<Recommendation> Recommendations,
    IReadOnlyList<SeriesSummary> Summaries,
    IReadOnlyList<string> Warnings);
