extern alias JsonSchemaNet;

using System.Text.Json;
using System.Text.Json.Nodes;
using JsonSchemaNet::Json.Schema;

namespace Forecasting.Api.Tests.Support;

/// <summary>The served <c>/openapi/v1.json</c>, and validation of real answers against its response schemas (JSON Schema 2020-12).</summary>
internal sealed class OpenApiDocument(JsonNode document)
{
    public JsonNode Root { get; } = document;

    public static async Task<OpenApiDocument> FetchAsync(HttpClient client)
    {
        var text = await client.GetStringAsync("/openapi/v1.json");
        return new OpenApiDocument(JsonNode.Parse(text)!);
    }

    public JsonObject Operation(string path, string method) =>
        Root["paths"]?[path]?[method]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"the document has no {method.ToUpperInvariant()} {path}");

    /// <summary>The errors of <paramref name="body"/> against the schema the document gives for that answer (none when valid).</summary>
    public IReadOnlyList<string> Validate(string path, string method, int status, string mediaType, string body)
    {
        var response = Operation(path, method)["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            ?? throw new Xunit.Sdk.XunitException($"{method.ToUpperInvariant()} {path} answered {status}, which the document does not declare");
        var schema = response["content"]?[mediaType]?["schema"]
            ?? throw new Xunit.Sdk.XunitException($"{method.ToUpperInvariant()} {path} {status}: no schema for {mediaType} (has {response["content"]?.ToJsonString()})");

        // The response schema with the document's components as $defs: one self-contained JSON Schema.
        var text = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://forecasting.test/openapi/{Guid.NewGuid():N}",
            ["$defs"] = Root["components"]?["schemas"]?.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        }.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var compiled = JsonSchema.FromText(text);
        using var instance = JsonDocument.Parse(body);
        var results = compiled.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))];
    }
}
