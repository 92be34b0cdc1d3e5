using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;

namespace Forecasting.Core.Planning;

/// <summary>
/// What the report, the API and the CLI show: costs, summaries and recommendations derived from one
/// forecast run of <see cref="Target"/>; made once by the forecast and stored with the run.
/// </summary>
public sealed record Plan(
    ForecastRun Forecast,
    IReadOnlyList<SeriesCost> Costs,
    IReadOnlyList<SeriesSummary> Summaries,
    IReadOnlyList<DailyTotal> Daily,
    IReadOnlyList<Recommendation> Recommendations,
    IReadOnlyList<string> Warnings,
    string Currency,
    double PerUsd)
{
    /// <summary>What the plan is measured in: its forecast's target.</summary>
    public ForecastTarget Target => Forecast.Target;
}
