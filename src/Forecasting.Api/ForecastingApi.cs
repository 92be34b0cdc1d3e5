using Microsoft.AspNetCore.Builder;

namespace Forecasting.Api;

/// <summary>Builds the web application, so that the CLI's <c>serve</c> command and the tests host the same thing.</summary>
public static class ForecastingApi
{
    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--Forecasting:Db=...</c>).</param>
    /// <param name="configure">Runs after the API's services are added: more configuration, a fake clock, other URLs.</param>
    public static WebApplication CreateApp(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddForecastingApi(builder.Configuration);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseForecastingApi();
        app.MapForecastingApi();
        return app;
    }
}
