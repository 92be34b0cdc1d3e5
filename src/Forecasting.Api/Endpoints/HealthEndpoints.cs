using System.Data.Common;
using Forecasting.Api.Contracts;
using Forecasting.Api.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Endpoints;

/// <summary><c>GET /health</c>: 200 when the usage store answers, 503 when it does not; open without the API key.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", GetAsync)
            .WithName("Health")
            .WithTags("health")
            .WithSummary("Store reachability and the latest forecast's age");
        // Liveness for orchestrators (and the trivial baseline of the load benchmark): touches nothing.
        endpoints.MapGet("/health/live", () => TypedResults.Text("ok"))
            .WithName("Live")
            .WithTags("health")
            .WithSummary("The process answers");
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
            var forecast = run is null
                ? null
                : new ForecastHealth(run.GeneratedAt, run.ModelVersion, Math.Max(0, (now - run.GeneratedAt).TotalSeconds), options.Value.IsStale(run.GeneratedAt, now));
            return TypedResults.Ok(new HealthResponse("healthy", new StoreHealth("up", summary.Rows, summary.LastHour), forecast, scheduler));
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
