using System.Globalization;
using Forecasting.Api.Contracts;
using Forecasting.Api.Monitoring;
using Forecasting.Api.Services;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Endpoints;

/// <summary><c>GET /api/v1/autoscale</c>: the KEDA metrics-api contract (DESIGN, "Autoscale").</summary>
internal static class AutoscaleEndpoints
{
    public static RouteGroupBuilder MapAutoscaleApi(this RouteGroupBuilder api)
    {
        api.MapGet("autoscale", GetAsync)
            .WithName("GetAutoscale")
            .WithSummary("Tokens per hour to provision for a series, from the latest stored forecast")
            .WithDescription("recommended.value is the p90 of the forecast hour containing now + lead minutes (the first hour when before the forecast, the last when beyond it); recommended.replicas is ceil(value / per_replica_tokens_per_hour). Query: series (default */*), lead (minutes, default 0), per_replica_tokens_per_hour (default from settings), points (all, the default, or none: points is then null and the answer about 0.5 KB instead of 15, what a scaler polling one number needs). stale is true, with stale_reason data_old, forecast_old or beyond_horizon, when the newest usage hour is older than DataStaleAfterMinutes, the forecast older than StaleAfterMinutes, or now + lead past its last hour; with Forecasting:StaleStatusCode set, a stale answer is that status (ProblemDetails) instead.")
            .Produces<AutoscaleResponse>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    // Numbers arrive as strings so that a bad one gets a ProblemDetails naming the parameter, not a bare 400.
    private static async Task<IResult> GetAsync(
        [FromQuery] string? series,
        [FromQuery] string? lead,
        [FromQuery(Name = "per_replica_tokens_per_hour")] string? perReplicaTokensPerHour,
        [FromQuery] string? points,
        ForecastReader forecasts,
        IOptions<ApiOptions> options,
        TimeProvider time,
        AutoscaleCache cache,
        DataFreshness freshness,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var leadMinutes = 0;
        if (!string.IsNullOrEmpty(lead) && (!int.TryParse(lead, NumberStyles.Integer, CultureInfo.InvariantCulture, out leadMinutes) || leadMinutes < 0))
        {
            return Problems.BadRequest($"lead must be a whole number of minutes, 0 or more; got '{lead}'");
        }

        var perReplica = settings.PerReplicaTokensPerHour;
        if (!string.IsNullOrEmpty(perReplicaTokensPerHour)
            && (!double.TryParse(perReplicaTokensPerHour, NumberStyles.Float, CultureInfo.InvariantCulture, out perReplica) || !double.IsFinite(perReplica) || perReplica <= 0))
        {
            return Problems.BadRequest($"per_replica_tokens_per_hour must be a positive number; got '{perReplicaTokensPerHour}'");
        }

        bool withPoints;
        if (string.IsNullOrEmpty(points) || points.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            withPoints = true;
        }
        else if (points.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            withPoints = false;
        }
        else
        {
            return Problems.BadRequest($"points must be all or none; got '{points}'");
        }

        var key = string.IsNullOrEmpty(series) ? SeriesKey.Total.ToString() : series;
        var run = await forecasts.LatestAsync(cancellationToken);
        if (run is null)
        {
            return Problems.NoForecast(forecasts.Target);
        }

        // The run's series index and answers, made once per run: from here on a lookup, then a write.
        var answers = cache.For(run);
        if (answers.Find(key) is not { } entry)
        {
            return Problems.NotFound($"series '{key}' is not in the latest forecast ({run.ModelVersion}); GET /api/v1/series lists them");
        }

        var forecast = entry.Forecast;
        var now = time.GetUtcNow();
        var at = now.AddMinutes(leadMinutes);
        var target = ForecastLookup.AtOrdered(entry.Ordered, at);
        var next = ForecastLookup.AtOrdered(entry.Ordered, now.AddHours(1));
        // Served from memory (refreshed in the background) after the first request: no store round trip here.
        var dataLastHour = await freshness.LastHourAsync(cancellationToken);
        var forecastEnd = entry.End;
        var staleness = Staleness.Evaluate(settings, run.GeneratedAt, dataLastHour, forecastEnd, now, at);
        if (staleness.Stale && settings.StaleStatusCode is { } status)
        {
            // An error status is what makes KEDA count a failure and, after fallback.failureThreshold of them, scale to fallback.replicas.
            return TypedResults.Problem(
                $"the forecast of '{forecast.Series}' is stale ({staleness.Reason}): generated {run.GeneratedAt:O}, newest usage hour {(dataLastHour is { } h ? h.ToString("O", CultureInfo.InvariantCulture) : "none")}, forecast ends {forecastEnd:O}",
                statusCode: status,
                title: "Stale forecast",
                extensions: new Dictionary<string, object?>
                {
                    ["stale_reason"] = staleness.Reason,
                    ["data_last_hour"] = dataLastHour,
                    ["generated_at"] = run.GeneratedAt,
                    ["forecast_end"] = forecastEnd,
                });
        }

        // Everything the answer depends on: the run (the cache's outer key), then these.
        var answerKey = new AutoscaleAnswerKey(forecast.Series, target.Hour, next.Hour, leadMinutes, perReplica, staleness.Reason, dataLastHour, withPoints);
        var answer = answers.GetOrAdd(answerKey, () => Answer(run, entry, target, next, leadMinutes, perReplica, staleness, dataLastHour, $"{forecasts.Target.Name()}_per_hour", withPoints, json.Value.SerializerOptions));
        http.Response.Headers.Vary = "Accept-Encoding";
        if (answer.Compressible && AcceptsGzip(http.Request))
        {
            // KEDA's HTTP client (Go) asks for gzip: the 15 KB answer is about 3 KB, compressed once per answer.
            // The points=none answer (about 0.5 KB) is sent plain.
            http.Response.Headers.ContentEncoding = "gzip";
            return new JsonBytes(answer.Gzip);
        }

        return new JsonBytes(answer.Plain);
    }

    /// <summary>The answer's JSON: what the cache keeps per distinct question.</summary>
    internal static byte[] Answer(ForecastRun run, AutoscaleCache.SeriesEntry entry, ForecastPoint target, ForecastPoint next, int leadMinutes, double perReplica, Staleness staleness, DateTimeOffset? dataLastHour, string unit, bool withPoints, System.Text.Json.JsonSerializerOptions json)
    {
        // A forecast value that is not finite is answered as null (FiniteNumber), and asks for no replicas.
        var replicas = double.IsFinite(target.P90) ? (long)Math.Ceiling(target.P90 / perReplica) : 0;
        return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new AutoscaleResponse(
            run.GeneratedAt,
            run.ModelVersion,
            staleness.Stale,
            staleness.Reason,
            dataLastHour,
            entry.End,
            entry.Forecast.Series,
            unit,
            run.Origin,
            new AutoscaleNextHour(next.Hour, next.P50, next.P90),
            new AutoscaleRecommendation(target.P90, replicas, leadMinutes, target.Hour, perReplica),
            withPoints ? [.. entry.Ordered.Select(p => new AutoscalePoint(p.Hour, p.P10, p.P50, p.P90))] : null), json);
    }

    private static bool AcceptsGzip(HttpRequest request)
    {
        var values = request.Headers.AcceptEncoding;
        if (values.Count == 0)
        {
            return false;
        }

        // The common headers ("gzip", "gzip, deflate, br") without quality values are read without parsing.
        foreach (var value in values)
        {
            if (value is null || value.Contains(';', StringComparison.Ordinal))
            {
                return ParsedAcceptsGzip(request);
            }

            foreach (var range in value.AsSpan().Split(','))
            {
                if (value.AsSpan()[range].Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool ParsedAcceptsGzip(HttpRequest request)
    {
        try
        {
            // q=0 (or 0.0, 0.00 ...) refuses a coding.
            return request.GetTypedHeaders().AcceptEncoding.Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && e.Quality is null or > 0);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Ready JSON bytes written as they are: the content type, the length and one write (no range or
    /// conditional-request handling, which a file result does on every request and autoscale never uses).
    /// </summary>
    private sealed class JsonBytes(byte[] body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = "application/json";
            response.ContentLength = body.Length;
            // Straight into the response pipe (one copy, no stream adapter).
            return response.BodyWriter.WriteAsync(body, httpContext.RequestAborted).AsTask();
        }
    }
}
