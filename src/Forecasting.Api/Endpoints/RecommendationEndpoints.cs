using Forecasting.Api.Contracts;
using Forecasting.Api.Services;
using Forecasting.Core.Series;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Forecasting.Api.Endpoints;

/// <summary><c>GET /api/v1/recommendations</c>: the planner's output for the latest forecast.</summary>
internal static class RecommendationEndpoints
{
    public static RouteGroupBuilder MapRecommendationApi(this RouteGroupBuilder api)
    {
        api.MapGet("recommendations", GetAsync)
            .WithName("GetRecommendations")
            .WithSummary("Capacity, budget, cost, rate-limit, anomaly and model-health recommendations of the latest forecast")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    private static async Task<Results<Ok<RecommendationsResponse>, ProblemHttpResult>> GetAsync(ForecastReader forecasts, PlanReader plans, CancellationToken cancellationToken)
    {
        if (await forecasts.LatestAsync(cancellationToken) is not { } run)
        {
            return Problems.NoForecast(forecasts.Target);
        }

        if (await plans.ForAsync(run, cancellationToken) is not { } plan)
        {
            return Problems.Unavailable(PlanReader.Missing(run));
        }

        var unit = plan.Target.Unit();
        return TypedResults.Ok(new RecommendationsResponse(
            run.GeneratedAt,
            run.ModelVersion,
            plan.Target.Name(),
            plan.Currency,
            plan.PerUsd,
            [.. plan.Recommendations.Select(r => new RecommendationItem(Snake(r.Kind.ToString()), Snake(r.Severity.ToString()), r.Subject, r.Title, r.Reason))],
            [.. plan.Summaries.Select(s => new SeriesSummaryItem(s.Series.ToString(), s.Model, unit, s.NextWeek, s.LastWeek, s.Change, s.NextWeekCostUsd, s.LastWeekCostUsd, s.PeakHour, s.PeakP50, s.PeakP90, s.AverageP50))],
            plan.Warnings));
    }

    private static string Snake(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
