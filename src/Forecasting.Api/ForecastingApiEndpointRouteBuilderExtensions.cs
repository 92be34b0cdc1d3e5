using Forecasting.Api.Endpoints;
using Forecasting.Api.Monitoring;
using Forecasting.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Forecasting.Api;

public static class ForecastingApiEndpointRouteBuilderExtensions
{
    public const string Prefix = "/api/v1";

    /// <summary>
    /// The /api/v1 routes, /health and /metrics (API key when configured; Forecasting:PublicMetrics leaves /metrics open),
    /// and the open /health/live, /health/ready and /openapi/v1.json.
    /// </summary>
    public static IEndpointRouteBuilder MapForecastingApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup(Prefix)
            .WithMetadata(ApiKeyRequired.Instance)
            .WithTags("forecasting");
        api.MapForecastApi()
            .MapAutoscaleApi()
            .MapRecommendationApi()
            .MapReportApi()
            .MapModelApi()
            .MapJobApi();

        endpoints.MapHealthApi();
        var metrics = endpoints.MapMetrics("/metrics", endpoints.ServiceProvider.GetRequiredService<ForecastGauges>().Registry);
        if (!endpoints.ServiceProvider.GetRequiredService<IOptions<ApiOptions>>().Value.PublicMetrics)
        {
            // Series names are customers' projects and models: not for anyone who can reach the port.
            metrics.WithMetadata(ApiKeyRequired.Instance);
        }

        endpoints.MapOpenApi();
        return endpoints;
    }
}
