using Forecasting.Api.Contracts;
using Forecasting.Api.Monitoring;
using Forecasting.Api.Services;
using Forecasting.Core.Series;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Endpoints;

/// <summary><c>GET /api/v1/series</c> and <c>GET /api/v1/forecasts?series=</c> (or <c>/api/v1/forecasts/{project}/{model}</c>).</summary>
internal static class ForecastEndpoints
{
    public static RouteGroupBuilder MapForecastApi(this RouteGroupBuilder api)
    {
        api.MapGet("series", ListSeriesAsync)
            .WithName("ListSeries")
            .WithSummary("Series of the latest forecast, and what the usage store holds");

        // Keys hold '/' and '*' (tutor/gpt-4.1, */*). ?series= is the documented form: a generated client escapes the
        // '/' of a path parameter (%2F), which no route matches. The catch-all path stays for people and curl.
        api.MapGet("forecasts", GetForecastBySeriesAsync)
            .WithName("GetForecast")
            .WithSummary("Hourly p10/p50/p90 of one series from the latest forecast, with cost when priced")
            .WithDescription("series is the key project/model (tutor/gpt-4.1; * for roll-ups: tutor/*, */*). The same answer is at /api/v1/forecasts/{project}/{model}, unescaped.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("forecasts/{**key}", GetForecastAsync)
            .WithName("GetForecastByPath")
            .ExcludeFromDescription();
        return api;
    }

    private static Task<Results<Ok<ForecastResponse>, ProblemHttpResult>> GetForecastBySeriesAsync(
        [FromQuery] string? series,
        ForecastReader forecasts,
        PlanReader plans,
        DataFreshness freshness,
        IOptions<ApiOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken) =>
        GetForecastAsync(null, series, forecasts, plans, freshness, options, time, cancellationToken);

    private static async Task<Ok<SeriesListResponse>> ListSeriesAsync(StoreConnection stores, ForecastReader forecasts, PlanReader plans, CancellationToken cancellationToken)
    {
        var store = await stores.GetAsync(cancellationToken);
        var summary = await store.SummarizeAsync(cancellationToken);
        var run = await forecasts.LatestAsync(cancellationToken);
        var series = run?.Series
            .Select(s => (Forecast: s, s.Key))
            .OrderBy(s => s.Key.IsLeaf).ThenBy(s => s.Forecast.Series, StringComparer.Ordinal)
            .Select(s => new SeriesItem(s.Forecast.Series, s.Key.Project, s.Key.Model, !s.Key.IsLeaf, s.Forecast.Model, s.Forecast.Points.Count))
            .ToList() ?? [];
        // The run's skipped series are stored with its plan.
        var plan = run is null ? null : await plans.ForAsync(run, cancellationToken);
        var skipped = (plan?.Forecast ?? run)?.Skipped.Select(s => new SkippedSeriesItem(s.Series, s.Reason)).ToList() ?? [];
        return TypedResults.Ok(new SeriesListResponse(
            forecasts.Target.Name(),
            run?.GeneratedAt,
            run?.ModelVersion,
            new StoreSummary(summary.Rows, summary.FirstHour, summary.LastHour, summary.Models, summary.Projects),
            series,
            skipped));
    }

    private static async Task<Results<Ok<ForecastResponse>, ProblemHttpResult>> GetForecastAsync(
        string? key,
        [FromQuery] string? series,
        ForecastReader forecasts,
        PlanReader plans,
        DataFreshness freshness,
        IOptions<ApiOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var wanted = string.IsNullOrEmpty(key) ? series : key;
        if (string.IsNullOrEmpty(wanted))
        {
            return Problems.BadRequest("name the series in the path (/api/v1/forecasts/tutor/gpt-4.1) or as ?series=");
        }

        var run = await forecasts.LatestAsync(cancellationToken);
        if (run is null)
        {
            return Problems.NoForecast(forecasts.Target);
        }

        // Cost comes from the plan stored with the run; the forecast is served without it when the run has none.
        var plan = await plans.ForAsync(run, cancellationToken);

        var forecast = run.Find(wanted);
        if (forecast is null)
        {
            return Problems.NotFound($"series '{wanted}' is not in the latest forecast ({run.ModelVersion}); GET /api/v1/series lists them");
        }

        var cost = plan?.Costs.FirstOrDefault(c => c.Series == forecast.Series);
        var costByHour = cost?.Points.ToDictionary(p => p.Hour) ?? [];
        var points = forecast.Points.OrderBy(p => p.Hour)
            .Select(p => new ForecastHour(p.Hour, p.P10, p.P50, p.P90,
                costByHour.TryGetValue(p.Hour, out var c) ? new CostRange(c.P10, c.P50, c.P90) : null))
            .ToList();
        // The same rule as the autoscale answer: old data, an old forecast, or now past its end.
        var now = time.GetUtcNow();
        var staleness = Staleness.Evaluate(options.Value, run.GeneratedAt, await freshness.LastHourAsync(cancellationToken), run.End, now, now);
        return TypedResults.Ok(new ForecastResponse(
            forecast.Series,
            forecast.Model,
            run.Target.Name(),
            run.Target.Unit(),
            run.GeneratedAt,
            run.ModelVersion,
            run.Origin,
            staleness.Stale,
            staleness.Reason,
            cost?.UsdPerMillion,
            points));
    }
}
