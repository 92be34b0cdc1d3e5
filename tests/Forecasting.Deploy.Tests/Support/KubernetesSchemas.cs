using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace Forecasting.Deploy.Tests.Support;

/// <summary>
/// Validates Kubernetes objects (YAML documents) against the schemas vendored in deploy/schemas: Kubernetes' OpenAPI v3
/// documents for the built-in kinds and KEDA's CRDs for its kinds, as JSON Schema 2020-12 (JsonSchema.Net), strict as
/// <c>kubectl apply</c>'s field validation is: an unknown field, a wrong type or a missing required field is an error.
/// deploy/schemas/README.md says where each file comes from and how it is converted.
/// </summary>
internal static partial class KubernetesSchemas
{
    private const string Base = "https://forecasting.test/schemas/";
    private const string ObjectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private static readonly Lazy<(SchemaRegistry Registry, Dictionary<(string ApiVersion, string Kind), JsonSchema> Kinds)> Loaded = new(Load);

    /// <summary>The (apiVersion, kind) pairs a schema is vendored for.</summary>
    public static IReadOnlyCollection<(string ApiVersion, string Kind)> Kinds => Loaded.Value.Kinds.Keys;

    /// <summary>Every document of a YAML stream as JSON, typed as Kubernetes' YAML reader types scalars.</summary>
    public static List<JsonNode> ParseYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return [.. stream.Documents.Select(d => ToJson(d.RootNode)!)];
    }

    /// <summary>The errors of one object against the schema of its apiVersion and kind (none when valid).</summary>
    public static IReadOnlyList<string> Validate(JsonNode manifest)
    {
        var apiVersion = manifest["apiVersion"]?.GetValue<string>() ?? "";
        var kind = manifest["kind"]?.GetValue<string>() ?? "";
        var kinds = Loaded.Value.Kinds;
        if (!kinds.TryGetValue((apiVersion, kind), out var schema))
        {
            return [$"no vendored schema for apiVersion {apiVersion}, kind {kind}"];
        }

        using var instance = JsonDocument.Parse(manifest.ToJsonString());
        var results = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")).Distinct()];
    }

    /// <summary>The errors of every document of a YAML stream, each prefixed with its kind and name.</summary>
    public static IReadOnlyList<string> ValidateYaml(string text) =>
        [.. ParseYaml(text).SelectMany(o => Validate(o).Select(e => $"{o["kind"]} {o["metadata"]?["name"]}: {e}"))];

    private static (SchemaRegistry, Dictionary<(string, string), JsonSchema>) Load()
    {
        var registry = new SchemaRegistry();
        var kinds = new Dictionary<(string, string), JsonSchema>();
        foreach (var file in Directory.GetFiles(Repo.Deploy("schemas", "kubernetes"), "*_openapi.json").Order(StringComparer.Ordinal))
        {
            var uri = Base + "kubernetes/" + Path.GetFileNameWithoutExtension(file);
            var definitions = JsonNode.Parse(File.ReadAllText(file))!["components"]!["schemas"]!.AsObject();
            // The kinds first: Strict drops the x-kubernetes-* keys that name them.
            var named = definitions
                .SelectMany(d => (d.Value!["x-kubernetes-group-version-kind"]?.AsArray() ?? []).Select(gvk => (Definition: d.Key, Gvk: gvk!)))
                .ToList();
            foreach (var (_, definition) in definitions)
            {
                Strict(definition!.AsObject());
            }

            var document = new JsonObject
            {
                ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                ["$id"] = uri,
                ["$defs"] = definitions.DeepClone(),
            };
            var text = document.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal);
            // Building registers the document under its $id in the registry that the kinds' schemas resolve against.
            JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = registry });
            foreach (var (name, gvk) in named)
            {
                var group = gvk["group"]!.GetValue<string>();
                var apiVersion = group.Length == 0 ? gvk["version"]!.GetValue<string>() : $"{group}/{gvk["version"]!.GetValue<string>()}";
                kinds[(apiVersion, gvk["kind"]!.GetValue<string>())] = Root(registry, $"{uri}#/$defs/{name}");
            }
        }

        if (kinds.Count == 0)
        {
            throw new InvalidOperationException("no Kubernetes schemas in deploy/schemas/kubernetes");
        }

        var objectMeta = Base + "kubernetes/api__v1_openapi#/$defs/" + ObjectMeta;
        foreach (var file in Directory.GetFiles(Repo.Deploy("schemas", "keda"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var crd = ParseYaml(File.ReadAllText(file)).Single();
            var group = crd["spec"]!["group"]!.GetValue<string>();
            var kind = crd["spec"]!["names"]!["kind"]!.GetValue<string>();
            foreach (var version in crd["spec"]!["versions"]!.AsArray())
            {
                var name = version!["name"]!.GetValue<string>();
                var schema = version["schema"]!["openAPIV3Schema"]!.DeepClone().AsObject();
                Strict(schema);
                // The API server validates a custom resource's metadata as ObjectMeta; the CRD only says "type: object".
                schema["properties"]!["metadata"] = new JsonObject { ["$ref"] = objectMeta };
                schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
                // No $id: JsonSchema.Net refuses (as "overwriting") a CRD schema given one; its ObjectMeta reference is absolute.
                kinds[($"{group}/{name}", kind)] = JsonSchema.FromText(schema.ToJsonString(), new BuildOptions { SchemaRegistry = registry });
            }
        }

        return (registry, kinds);
    }

    private static JsonSchema Root(SchemaRegistry registry, string reference) =>
        JsonSchema.FromText(new JsonObject { ["$schema"] = "https://json-schema.org/draft/2020-12/schema", ["$id"] = $"{Base}kind/{Guid.NewGuid():N}", ["$ref"] = reference }.ToJsonString(), new BuildOptions { SchemaRegistry = registry });

    /// <summary>
    /// Makes an OpenAPI schema strict JSON Schema: no fields beside the declared ones (unless it preserves unknown fields),
    /// <c>nullable</c> as a null type, Kubernetes' extension keys dropped.
    /// </summary>
    private static void Strict(JsonObject schema)
    {
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (_, property) in properties)
            {
                if (property is JsonObject child)
                {
                    Strict(child);
                }
            }

            if (!schema.ContainsKey("additionalProperties") && schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() != true)
            {
                schema["additionalProperties"] = false;
            }
        }

        foreach (var key in new[] { "items", "additionalProperties", "not" })
        {
            if (schema[key] is JsonObject child)
            {
                Strict(child);
            }
        }

        foreach (var key in new[] { "allOf", "anyOf", "oneOf" })
        {
            foreach (var child in schema[key]?.AsArray().OfType<JsonObject>() ?? [])
            {
                Strict(child);
            }
        }

        if (schema["nullable"]?.GetValue<bool>() == true && schema["type"] is JsonValue type)
        {
            schema["type"] = new JsonArray(type.GetValue<string>(), "null");
        }

        foreach (var key in schema.Select(p => p.Key).Where(k => k.StartsWith("x-", StringComparison.Ordinal) || k == "nullable").ToList())
        {
            schema.Remove(key);
        }
    }

    /// <summary>A YAML node as JSON: plain scalars typed as go-yaml (YAML 1.1) types them, quoted ones are strings.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar => Plain(scalar.Value ?? ""),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType} at {node.Start}"),
    };

    private static JsonValue? Plain(string value)
    {
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y")
        {
            return JsonValue.Create(true);
        }

        if (value is "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N")
        {
            return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        return FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(value);
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
