using Forecasting.Api.Contracts;
using Forecasting.Api.Services;
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
        if (await forecasts.LatestAsync(cancellationToken) is null)
        {
            return Problems.NoForecast(forecasts.Target);
        }

        var (plan, missing) = await plans.TryBuildAsync(cancellationToken);
        if (plan is null)
        {
            return Problems.Unavailable(missing!);
        }

        return TypedResults.Ok(new RecommendationsResponse(
            plan.Forecast.GeneratedAt,
            plan.Forecast.ModelVersion,
            plan.Currency,
            plan.PerUsd,
            plan.Recommendations,
            plan.Summaries,
            plan.Warnings));
    }
}
