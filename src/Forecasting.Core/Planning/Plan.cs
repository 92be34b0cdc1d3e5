using Forecasting.Core.Forecasting;

namespace Forecasting.Core.Planning;

/// <summary>What the report, the API and the CLI show: costs, summaries and recommendations derived from one forecast run.</summary>
public sealed record Plan(
    ForecastRun Forecast,
    IReadOnlyList<SeriesCost> Costs,
    IReadOnlyList<SeriesSummary> Summaries,
    IReadOnlyList<DailyTotal> Daily,
    IReadOnlyList<Recommendation> Recommendations,
    IReadOnlyList<string> Warnings,
    string Currency,
    double PerUsd);
