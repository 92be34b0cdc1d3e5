using Forecasting.Deploy.Tests.Support;

namespace Forecasting.Deploy.Tests;

/// <summary>
/// Every document of deploy/kubernetes/*.yaml against the schemas vendored in deploy/schemas (Kubernetes' OpenAPI v3
/// documents, KEDA's CRDs), strictly: and the same files with one misspelled field or one wrong type are refused.
/// </summary>
public sealed class KubernetesSchemaTests
{
    public static TheoryData<string> Files => [.. Directory.GetFiles(Repo.Deploy("kubernetes"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryDocumentIsValidAgainstItsSchema(string file)
    {
        var objects = KubernetesSchemas.ParseYaml(Read(file));

        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.Empty(KubernetesSchemas.Validate(o)));
    }

    [Fact]
    public void EveryKindTheManifestsUseHasAVendoredSchema()
    {
        var used = Directory.GetFiles(Repo.Deploy("kubernetes"), "*.yaml").SelectMany(f => KubernetesSchemas.ParseYaml(File.ReadAllText(f)))
            .Select(o => (o["apiVersion"]!.GetValue<string>(), o["kind"]!.GetValue<string>())).Distinct().ToList();

        Assert.Equal(5, used.Count);
        Assert.All(used, k => Assert.Contains(k, KubernetesSchemas.Kinds));
        Assert.Contains(("v1", "Secret"), KubernetesSchemas.Kinds);
    }

    [Theory]
    // A misspelled field, at the top of a spec and deep in a pod template; KEDA's and Kubernetes' schemas alike.
    [InlineData("forecasting.yaml", "          readinessProbe:", "          readinessProbes:", "readinessProbes")]
    [InlineData("forecasting.yaml", "  accessModes:", "  accessMode:", "accessMode")]
    [InlineData("forecasting.yaml", "      targetPort: http", "      targetPorts: http", "targetPorts")]
    [InlineData("keda.yaml", "  pollingInterval: 60", "  pollingIntervall: 60", "pollingIntervall")]
    [InlineData("keda.yaml", "    - parameter: apiKey", "    - parametr: apiKey", "parametr")]
    [InlineData("keda.yaml", "  namespace: forecasting\nspec:\n  scaleTargetRef:", "  namespaces: forecasting\nspec:\n  scaleTargetRef:", "namespaces")]
    public void AMisspelledFieldIsRefused(string file, string field, string typo, string named)
    {
        var errors = KubernetesSchemas.ValidateYaml(Mutate(file, field, typo));

        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.Contains(named, StringComparison.Ordinal) || e.Contains("additionalProperties", StringComparison.Ordinal));
    }

    [Theory]
    // replicas and a port are integers; a memory limit a quantity; KEDA's trigger metadata values are strings (an
    // unquoted number is not), its replica counts integers, and a fallback needs both of its fields.
    [InlineData("forecasting.yaml", "  replicas: 2", "  replicas: two", "/spec/replicas")]
    [InlineData("forecasting.yaml", "      port: 8080", "      port: \"8080\"", "/spec/ports/0/port")]
    [InlineData("forecasting.yaml", "              memory: 2Gi", "              memory: [2Gi]", "/spec/template/spec/containers/0/resources/limits/memory")]
    [InlineData("keda.yaml", "        targetValue: \"2000000\"", "        targetValue: 2000000", "/spec/triggers/0/metadata/targetValue")]
    [InlineData("keda.yaml", "  maxReplicaCount: 50", "  maxReplicaCount: fifty", "/spec/maxReplicaCount")]
    [InlineData("keda.yaml", "    replicas: 6\n", "", "/spec/fallback")]
    public void AWrongTypeOrAMissingFieldIsRefused(string file, string value, string wrong, string at)
    {
        var errors = KubernetesSchemas.ValidateYaml(Mutate(file, value, wrong));

        Assert.Contains(errors, e => e.Contains(": " + at + ":", StringComparison.Ordinal) || e.Contains(": " + at + "/", StringComparison.Ordinal));
    }

    private static string Read(string file) => File.ReadAllText(Repo.Deploy("kubernetes", file));

    private static string Mutate(string file, string from, string to)
    {
        var text = Read(file);
        Assert.Contains(from, text, StringComparison.Ordinal);
        var mutated = text.Replace(from, to, StringComparison.Ordinal);
        Assert.Empty(KubernetesSchemas.ValidateYaml(text));
        return mutated;
    }
}
