using System.Data.Common;
using Forecasting.Api.Contracts;
using Forecasting.Api.Monitoring;
using Forecasting.Api.Services;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Endpoints;

/// <summary>
/// <c>GET /health</c>: the details (store, forecast freshness, scheduler), behind the API key when one is set;
/// 200 <c>healthy</c> or <c>degraded</c> while the usage store answers, 503 when it does not. <c>/health/live</c>
/// and <c>/health/ready</c> are the orchestrator's probes: open, and they answer one word.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", GetAsync)
            .WithMetadata(Security.ApiKeyRequired.Instance)
            .WithName("Health")
            .WithTags("health")
            .WithSummary("Store reachability and the latest forecast's age")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        // Liveness for orchestrators (and the trivial baseline of the load benchmark): touches nothing.
        endpoints.MapGet("/health/live", () => TypedResults.Text("ok"))
            .WithName("Live")
            .WithTags("health")
            .WithSummary("The process answers")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        // Readiness: the store answers. A stale forecast keeps the instance ready: its answers say stale themselves.
        endpoints.MapGet("/health/ready", ReadyAsync)
            .WithName("Ready")
            .WithTags("health")
            .WithSummary("The usage store answers (200 ready, 503 not ready)")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/plain");
        return endpoints;
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetAsync(
        StoreConnection stores,
        ForecastReader forecasts,
        IOptions<ApiOptions> options,
        TimeProvider time,
        ILoggerFactory loggers,
        IServiceProvider services,
        CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(services, cancellationToken);
        // The store retries a PostgreSQL that is gone for about 30 s; a probe answers sooner than that.
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(ProbeTimeout);
        try
        {
            // The open (and migration) is shared by every caller: the probe stops waiting for it, it does not cancel it.
            var store = await stores.GetAsync(CancellationToken.None).WaitAsync(probe.Token);
            var summary = await store.SummarizeAsync(probe.Token);
            var run = await forecasts.LatestAsync(probe.Token);
            var now = time.GetUtcNow();
            var storeHealth = new StoreHealth("up", summary.Rows, summary.LastHour);
            if (run is null || run.Series.All(s => s.Points.Count == 0))
            {
                return TypedResults.Ok(new HealthResponse("degraded", storeHealth, null, scheduler, $"no stored forecast of {forecasts.Target.Name()} yet"));
            }

            var end = run.End;
            var staleness = Staleness.Evaluate(options.Value, run.GeneratedAt, summary.LastHour, end, now, now);
            var forecast = new ForecastHealth(run.GeneratedAt, run.ModelVersion, Math.Max(0, (now - run.GeneratedAt).TotalSeconds), staleness.Stale, staleness.Reason, summary.LastHour, end);
            return staleness.Stale
                ? TypedResults.Ok(new HealthResponse("degraded", storeHealth, forecast, scheduler, staleness.Explain(options.Value, run.GeneratedAt, summary.LastHour, end, now)))
                : TypedResults.Ok(new HealthResponse("healthy", storeHealth, forecast, scheduler));
        }
        catch (Exception e) when (e is DbException or IOException or TimeoutException or UnauthorizedAccessException or InvalidOperationException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The exception may name hosts or paths: it goes to the log, not to the caller.
            ApiLog.StoreUnreachable(loggers.CreateLogger(typeof(HealthEndpoints).FullName!), StoreName(stores.Db), e);
            return TypedResults.Json(new HealthResponse("unhealthy", new StoreHealth("down", null, null), null, scheduler), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    private static async Task<IResult> ReadyAsync(StoreConnection stores, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(ProbeTimeout);
        try
        {
            var store = await stores.GetAsync(CancellationToken.None).WaitAsync(probe.Token);
            await store.GetSchemaVersionAsync(probe.Token);
            return TypedResults.Text("ready");
        }
        catch (Exception e) when (e is DbException or IOException or TimeoutException or UnauthorizedAccessException or InvalidOperationException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            ApiLog.StoreUnreachable(loggers.CreateLogger(typeof(HealthEndpoints).FullName!), StoreName(stores.Db), e);
            return TypedResults.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }


    private static async Task<SchedulerHealth?> SchedulerAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<Quartz.ISchedulerFactory>() is not { } factory)
        {
            return null;
        }

        var scheduler = await factory.GetScheduler(cancellationToken);
        var metadata = await scheduler.GetMetadata(cancellationToken);
        var history = services.GetService<Scheduling.JobHistory>()?.Runs ?? [];
        var status = scheduler.Status.ToString().ToLowerInvariant();
        return new SchedulerHealth(status, metadata.JobStorePersistent ? (metadata.JobStoreClustered ? "postgresql, clustered" : "persistent") : "in memory", scheduler.SchedulerInstanceId, history);
    }

    private static string StoreName(string db) => Data.Stores.UsageStore.IsPostgres(db) ? "postgresql" : "sqlite";
}
