using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Forecasting.Api.OpenApi;

/// <summary>
/// The autoscale endpoint reads <c>lead</c> and <c>per_replica_tokens_per_hour</c> as text so that a bad value gets a
/// ProblemDetails naming it; the document gives their real types, so generated clients send numbers.
/// </summary>
internal sealed class QueryNumbersOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            switch (parameter.Name)
            {
                case "lead":
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Default = JsonValue.Create(0) };
                    parameter.Description = "Minutes ahead of now: the answer is the forecast hour containing now + lead (default 0)";
                    break;
                case "per_replica_tokens_per_hour":
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double", ExclusiveMinimum = "0" };
                    parameter.Description = "Tokens per hour one replica handles (default: the service's Forecasting:PerReplicaTokensPerHour)";
                    break;
                case "series" when context.Description.RelativePath == "api/v1/forecasts":
                    parameter.Required = true;
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 };
                    parameter.Description = "The series key, project/model with * for roll-ups: tutor/gpt-4.1, tutor/*, */* (GET /api/v1/series lists them)";
                    break;
                case "series":
                    parameter.Description = "The series key, project/model with * for roll-ups (default */*)";
                    break;
            }
        }

        return Task.CompletedTask;
    }
}
