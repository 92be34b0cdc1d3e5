using Microsoft.AspNetCore.Builder;

namespace Forecasting.Api;

/// <summary>Builds the web application, so that the CLI's <c>serve</c> command and the tests host the same thing.</summary>
public static class ForecastingApi
{
    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--Forecasting:Db=...</c>).</param>
    /// <param name="configure">Runs before the API's services are added, so its configuration (the schedule, the store) is seen by them and its services (a fake clock) win.</param>
    public static WebApplication CreateApp(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        ReserveThreads();
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.AddForecastingApi(builder.Configuration);
        var app = builder.Build();
        app.UseForecastingApi();
        app.MapForecastingApi();
        return app;
    }

    /// <summary>
    /// The jobs (Quartz runs them on the thread pool) train and forecast in parallel over series, which holds pool
    /// threads in CPU-bound work for minutes. With the pool's default minimum (one thread per core) requests, health
    /// probes and Quartz's own cluster check-in then wait for the pool to grow (about one thread per half second):
    /// /health timed out and a node missed its check-ins, so the other node took its fire too. Threads up to this
    /// minimum are made at once; the cores are still shared by the operating system.
    /// </summary>
    private static void ReserveThreads()
    {
        ThreadPool.GetMinThreads(out var worker, out var io);
        ThreadPool.SetMinThreads(Math.Max(worker, MinimumWorkerThreads), io);
    }

    /// <summary>Worker threads the pool makes without delay (see <see cref="ReserveThreads"/>).</summary>
    public const int MinimumWorkerThreads = 64;
}
