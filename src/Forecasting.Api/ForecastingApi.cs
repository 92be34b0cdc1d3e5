using Microsoft.AspNetCore.Builder;

namespace Forecasting.Api;

/// <summary>Builds the web application, so that the CLI's <c>serve</c> command and the tests host the same thing.</summary>
public static class ForecastingApi
{
    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--Forecasting:Db=...</c>).</param>
    /// <param name="configure">Runs before the API's services are added, so its configuration (the schedule, the store) is seen by them and its services (a fake clock) win.</param>
    public static WebApplication CreateApp(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.AddForecastingApi(builder.Configuration);
        var app = builder.Build();
        app.UseForecastingApi();
        app.MapForecastingApi();
        return app;
    }
}
