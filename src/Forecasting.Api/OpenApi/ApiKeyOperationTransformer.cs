using Forecasting.Api.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Forecasting.Api.OpenApi;

/// <summary>
/// Routes that need the API key (when one is configured) say so: either scheme satisfies them, and they may
/// answer 401 ProblemDetails. The open routes (probes) say they need nothing. <c>POST /api/v1/retrain</c> also
/// answers 400 when its reason is too long.
/// </summary>
internal sealed class ApiKeyOperationTransformer : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId == "RequestRetrain")
        {
            await AddProblemAsync(operation, context, "400", "The request is invalid (a reason longer than 500 characters)", cancellationToken);
        }

        var protectedRoute = context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiKeyRequired>().Any()
            || context.Description.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true;
        if (!protectedRoute)
        {
            operation.Security = [];
            return;
        }

        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyDocumentTransformer.ApiKeyScheme, context.Document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyDocumentTransformer.BearerScheme, context.Document)] = [] },
        ];
        await AddProblemAsync(operation, context, "401", "The API key is missing or wrong (X-API-KEY header or Authorization: Bearer)", cancellationToken);
    }

    private static async Task AddProblemAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, string status, string description, CancellationToken cancellationToken)
    {
        operation.Responses ??= [];
        if (operation.Responses.ContainsKey(status))
        {
            return;
        }

        var schema = await context.GetOrCreateSchemaAsync(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), null, cancellationToken);
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new OpenApiMediaType { Schema = schema } },
        };
    }
}
