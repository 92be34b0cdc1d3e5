using System.Globalization;
using System.Text.Json;
using Forecasting.Api;
using Forecasting.Deploy.Tests.Support;
using static Forecasting.Deploy.Tests.Support.Manifests;

namespace Forecasting.Deploy.Tests;

/// <summary>
/// deploy/kubernetes: the service's Deployment and Service, and the KEDA objects that scale the LLM workload from
/// the autoscale route, wired to each other and to the service's settings. Their fields and types are checked against
/// the vendored Kubernetes and KEDA schemas by <see cref="KubernetesSchemaTests"/>; the metrics-api trigger's
/// metadata is a free string map there, so its keys are checked here against KEDA's metrics-api scaler.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly HashSet<string> MetricsApiMetadata = ["url", "format", "valueLocation", "targetValue", "activationTargetValue", "authMode", "method", "keyParamName", "unsafeSsl", "aggregateFromKubernetesServiceEndpoints", "aggregationType"];

    [Fact]
    public void EveryObjectHasKindApiVersionNameAndNamespace()
    {
        Assert.Equal(["Deployment", "PersistentVolumeClaim", "ScaledObject", "Service", "TriggerAuthentication"], All.Select(o => (string)o["kind"]).Order(StringComparer.Ordinal));
        Assert.All(All, o =>
        {
            Assert.False(string.IsNullOrEmpty(Text(o, "apiVersion")));
            Assert.False(string.IsNullOrEmpty(Text(o, "metadata", "name")));
            Assert.Equal("forecasting", Text(o, "metadata", "namespace"));
        });
    }

    [Fact]
    public void TheDeploymentServesWithProbesResourcesAndSecretsFromASecret()
    {
        var deployment = Single("Deployment");
        var container = Map(deployment, "spec", "template", "spec", "containers", 0);

        Assert.Equal("serve", List(container, "args")[0]);
        Assert.Equal("/health/live", Text(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/health/ready", Text(container, "readinessProbe", "httpGet", "path"));
        foreach (var kind in new[] { "requests", "limits" })
        {
            Assert.False(string.IsNullOrEmpty(Text(container, "resources", kind, "cpu")));
            Assert.False(string.IsNullOrEmpty(Text(container, "resources", kind, "memory")));
        }

        var env = List(container, "env").Cast<Dictionary<object, object>>().ToDictionary(e => (string)e["name"]);
        foreach (var secret in new[] { ApiOptions.ApiKeyVariable, "FORECASTING_DB" })
        {
            Assert.Equal("forecasting", Text(env[secret], "valueFrom", "secretKeyRef", "name"));
            Assert.False(env[secret].ContainsKey("value"), $"{secret} must come from the secret, not the manifest");
        }

        Assert.Equal(Map(deployment, "spec", "selector", "matchLabels").ToDictionary(), Map(deployment, "spec", "template", "metadata", "labels").ToDictionary());
    }

    [Fact]
    public void TheServiceSelectsTheDeploymentsPodsOnItsPort()
    {
        var deployment = Single("Deployment");
        var service = Single("Service");
        var podLabels = Map(deployment, "spec", "template", "metadata", "labels");
        var port = Map(deployment, "spec", "template", "spec", "containers", 0, "ports", 0);

        Assert.All(Map(service, "spec", "selector"), pair => Assert.Equal(pair.Value, podLabels[pair.Key]));
        Assert.Equal(port["name"], At(service, "spec", "ports", 0, "targetPort"));
        Assert.Equal(port["containerPort"], At(service, "spec", "ports", 0, "port"));
    }

    [Fact]
    public void TheScaledObjectUsesTheMetricsApiTriggerWithOnlyItsMetadataKeys()
    {
        var scaled = Single("ScaledObject");
        Assert.Equal("keda.sh/v1alpha1", Text(scaled, "apiVersion"));
        var spec = Map(scaled, "spec");

        var trigger = Map(spec, "triggers", 0);
        AssertOnly(MetricsApiMetadata, Map(trigger, "metadata"), "spec.triggers[0].metadata");
        Assert.False(string.IsNullOrEmpty(Text(spec, "scaleTargetRef", "name")));
        foreach (var count in new[] { "minReplicaCount", "maxReplicaCount", "pollingInterval", "cooldownPeriod" })
        {
            Assert.True(int.Parse(Text(spec, count), CultureInfo.InvariantCulture) >= 0, count);
        }

        Assert.Equal("metrics-api", Text(trigger, "type"));
        Assert.Equal("recommended.value", Text(trigger, "metadata", "valueLocation"));
        Assert.Equal("json", Text(trigger, "metadata", "format"));
    }

    [Fact]
    public void FallbackUsesAverageValueAsKedaRequires()
    {
        var spec = Map(Single("ScaledObject"), "spec");

        Assert.Equal("AverageValue", Text(spec, "triggers", 0, "metricType"));
        Assert.True(int.Parse(Text(spec, "fallback", "failureThreshold"), CultureInfo.InvariantCulture) > 0);
        var replicas = int.Parse(Text(spec, "fallback", "replicas"), CultureInfo.InvariantCulture);
        Assert.InRange(replicas, int.Parse(Text(spec, "minReplicaCount"), CultureInfo.InvariantCulture), int.Parse(Text(spec, "maxReplicaCount"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TargetValueIsTheReplicaCapacityTheServiceUses()
    {
        var trigger = Map(Single("ScaledObject"), "spec", "triggers", 0);
        var container = Map(Single("Deployment"), "spec", "template", "spec", "containers", 0);
        var env = List(container, "env").Cast<Dictionary<object, object>>().ToDictionary(e => (string)e["name"]);
        using var example = JsonDocument.Parse(File.ReadAllText(Repo.Deploy("appsettings.example.json")));

        var target = double.Parse(Text(trigger, "metadata", "targetValue"), CultureInfo.InvariantCulture);

        Assert.Equal(new ApiOptions().PerReplicaTokensPerHour, target);
        Assert.Equal(target, double.Parse(Text(env["Forecasting__PerReplicaTokensPerHour"], "value"), CultureInfo.InvariantCulture));
        Assert.Equal(target, example.RootElement.GetProperty("Forecasting").GetProperty("PerReplicaTokensPerHour").GetDouble());
    }

    [Fact]
    public void TheTriggerAsksTheServiceThroughTheServiceWithTheApiKey()
    {
        var trigger = Map(Single("ScaledObject"), "spec", "triggers", 0);
        var service = Single("Service");
        var auth = Single("TriggerAuthentication");

        var url = new Uri(Text(trigger, "metadata", "url"));

        Assert.Equal($"{Text(service, "metadata", "name")}.{Text(service, "metadata", "namespace")}.svc.cluster.local", url.Host);
        Assert.Equal(At(service, "spec", "ports", 0, "port"), url.Port.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("/api/v1/autoscale", url.AbsolutePath);
        Assert.Contains("series=", url.Query, StringComparison.Ordinal);
        Assert.Equal(Text(auth, "metadata", "name"), Text(trigger, "authenticationRef", "name"));
        Assert.Equal("apiKey", Text(trigger, "metadata", "authMode"));
        Assert.Equal("X-API-KEY", Text(trigger, "metadata", "keyParamName"));
        var secret = Map(auth, "spec", "secretTargetRef", 0);
        Assert.Equal("apiKey", Text(secret, "parameter"));
    }

    private static void AssertOnly(HashSet<string> allowed, Dictionary<object, object> map, string where)
    {
        var unknown = map.Keys.Cast<string>().Where(k => !allowed.Contains(k)).ToList();
        Assert.True(unknown.Count == 0, $"{where}: {string.Join(", ", unknown)} not a metrics-api scaler parameter");
    }
}
