using Forecasting.Core.Series;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Forecasting.Api.Endpoints;

/// <summary>The expected failures of the API, as ProblemDetails (application/problem+json).</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult NoForecast(ForecastTarget target) =>
        TypedResults.Problem(
            $"no stored forecast for target {target.Name()} yet; run 'forecasting forecast' or wait for the hourly forecast job",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "No forecast yet");

    public static ProblemHttpResult Unavailable(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not available yet");
}
