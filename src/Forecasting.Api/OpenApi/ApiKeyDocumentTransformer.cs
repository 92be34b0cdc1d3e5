using Forecasting.Application;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Forecasting.Api.OpenApi;

/// <summary>Declares the two ways to present the API key (<c>X-API-KEY</c> header, or bearer) and describes the document.</summary>
internal sealed class ApiKeyDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string ApiKeyScheme = "ApiKey";
    public const string BearerScheme = "Bearer";

    private static readonly (string Name, string Description)[] TagDescriptions =
    [
        ("forecasting", "Forecasts, autoscale signals, recommendations, reports and the model registry, from the latest stored forecast"),
        ("health", "The service's health: details (behind the API key when set) and the orchestrator's open probes"),
    ];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Forecasting API";
        document.Info.Description = "Hourly forecasts of LLM API usage and cost per model and project, autoscale signals and recommendations, from the latest stored forecast. "
            + "When the service has FORECASTING_API_KEY set, /api routes, /health and /metrics need the key in the X-API-KEY header or as Authorization: Bearer <key>.";
        document.Info.Version = ForecastingVersion.Current;
        // Generated clients take the base address from their caller; the host that served the document has no trailing slash.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        document.Tags ??= new HashSet<OpenApiTag>();
        foreach (var (name, description) in TagDescriptions)
        {
            if (document.Tags.FirstOrDefault(t => t.Name == name) is { } tag)
            {
                tag.Description = description;
            }
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = Security.ApiKeyMiddleware.HeaderName,
            Description = "The service's FORECASTING_API_KEY",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The service's FORECASTING_API_KEY as a bearer token",
        };
        return Task.CompletedTask;
    }
}
