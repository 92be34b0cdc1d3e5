using Forecasting.Api.Monitoring;
using Forecasting.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Forecasting.Api;

public static class ForecastingApiApplicationBuilderExtensions
{
    /// <summary>The middleware in order: errors as ProblemDetails, routing, HTTP metrics, the API key check.</summary>
    public static IApplicationBuilder UseForecastingApi(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ForecastingApi).FullName!);
        if (string.IsNullOrEmpty(app.ApplicationServices.GetRequiredService<IOptions<ApiOptions>>().Value.ApiKey))
        {
            ApiLog.ApiOpen(logger);
        }
        else
        {
            ApiLog.ApiKeyRequired(logger);
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        var metrics = app.ApplicationServices.GetRequiredService<ForecastGauges>();
        app.UseHttpMetrics(o => o.SetMetricFactory(metrics.Factory));
        app.UseMiddleware<ApiKeyMiddleware>();
        return app;
    }
}
