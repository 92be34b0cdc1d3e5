using Forecasting.Api.Endpoints;
using Forecasting.Api.Monitoring;
using Forecasting.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Forecasting.Api;

public static class ForecastingApiEndpointRouteBuilderExtensions
{
    public const string Prefix = "/api/v1";

    /// <summary>The /api/v1 routes (API key when configured), and the open /health, /metrics and /openapi/v1.json.</summary>
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
            .MapModelApi();

        endpoints.MapHealthApi();
        endpoints.MapMetrics("/metrics", endpoints.ServiceProvider.GetRequiredService<ForecastGauges>().Registry);
        endpoints.MapOpenApi();
        return endpoints;
    }
}
