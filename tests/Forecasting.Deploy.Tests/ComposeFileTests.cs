using System.Reflection;
using System.Text.RegularExpressions;
using Forecasting.Api;
using Forecasting.Api.Scheduling;
using Forecasting.Data.Stores;
using Forecasting.Deploy.Tests.Support;
using Npgsql;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using static Forecasting.Deploy.Tests.Support.Manifests;

namespace Forecasting.Deploy.Tests;

/// <summary>
/// deploy/compose/compose.yaml, parsed (anchors merged, variables interpolated as compose does) and checked against
/// the service's real settings: two serve replicas of the image on one PostgreSQL database, so they share Quartz's
/// clustered job store; secrets from the environment; probes on the image's script. It is not brought up here
/// (no registry for the postgres image; ContainerImageTests runs the image itself).
/// </summary>
public sealed partial class ComposeFileTests
{
    private const string ApiKey = "key-from-env";
    private const string Password = "pw-from-env";

    private static readonly Dictionary<object, object> Compose = Load(new() { ["FORECASTING_API_KEY"] = ApiKey, ["POSTGRES_PASSWORD"] = Password });

    private static Dictionary<object, object> Services => Map(Compose, "services");

    private static List<Dictionary<object, object>> Replicas =>
        Services.Values.Cast<Dictionary<object, object>>().Where(s => s.ContainsKey("command") && (string)List(s, "command")[0] == "serve").ToList();

    [Fact]
    public void TwoServeReplicasOfTheImageRunBesidePostgres()
    {
        Assert.Equal(["forecasting-1", "forecasting-2", "postgres"], Services.Keys.Cast<string>().Order(StringComparer.Ordinal));
        Assert.Equal(2, Replicas.Count);
        Assert.Single(Replicas.Select(r => Text(r, "image")).Distinct());
        Assert.Equal("forecasting:latest", Text(Replicas[0], "image"));
        Assert.All(Replicas, r => Assert.Equal("service_healthy", Text(r, "depends_on", "postgres", "condition")));
    }

    [Fact]
    public void BothReplicasUseOnePostgresDatabaseSoTheirSchedulerIsClustered()
    {
        var postgres = Map(Services, "postgres");
        var pgEnv = Map(postgres, "environment");
        var dbs = Replicas.Select(r => Text(r, "environment", "FORECASTING_DB")).Distinct().ToList();
        var db = Assert.Single(dbs);

        // The service opens this as PostgreSQL, and SchedulerSetup gives PostgreSQL the clustered job store.
        Assert.True(UsageStore.IsPostgres(db));
        var builder = new NpgsqlConnectionStringBuilder(PostgresUsageStore.NormalizeConnectionString(db));
        Assert.Equal("postgres", builder.Host);
        Assert.Contains("postgres", Services.Keys.Cast<string>());
        Assert.Equal(pgEnv["POSTGRES_DB"], builder.Database);
        Assert.Equal(pgEnv["POSTGRES_USER"], builder.Username);
        Assert.Equal(Password, builder.Password);
        Assert.Equal(Password, pgEnv["POSTGRES_PASSWORD"]);
        Assert.Contains("pg_isready -U forecasting -d forecasting", string.Join(' ', List(postgres, "healthcheck", "test")), StringComparison.Ordinal);
    }

    [Fact]
    public void SecretsComeFromTheCallersEnvironmentAndAreRequired()
    {
        Assert.All(Replicas, r => Assert.Equal(ApiKey, Text(r, "environment", ApiOptions.ApiKeyVariable)));

        var raw = File.ReadAllText(Repo.Deploy("compose", "compose.yaml"));
        Assert.DoesNotContain(ApiKey, raw, StringComparison.Ordinal);
        var missing = Assert.Throws<InvalidOperationException>(() => Load(new() { ["POSTGRES_PASSWORD"] = Password }));
        Assert.Contains("FORECASTING_API_KEY", missing.Message, StringComparison.Ordinal);
        missing = Assert.Throws<InvalidOperationException>(() => Load(new() { ["FORECASTING_API_KEY"] = ApiKey }));
        Assert.Contains("POSTGRES_PASSWORD", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryForecastingVariableIsARealSetting()
    {
        var options = Names(typeof(ApiOptions));
        var schedule = Names(typeof(SchedulingOptions));
        var keys = Replicas.SelectMany(r => Map(r, "environment").Keys.Cast<string>()).Where(k => k.StartsWith("Forecasting__", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            var parts = key.Split("__");
            var known = parts.Length == 2 ? options.Contains(parts[1]) : parts is [_, "Schedule", var name] && schedule.Contains(name);
            Assert.True(known, $"{key} is not a setting of the service");
        });
    }

    [Fact]
    public void ReplicasShareTheDataVolumeAndPublishTheImagesPortOnDistinctHostPorts()
    {
        var image = Dockerfile.Load();
        var containerPort = image.Final.Single("EXPOSE").Arguments;
        var volume = image.Final.Single("VOLUME").Arguments;
        var hostPorts = new List<string>();
        foreach (var replica in Replicas)
        {
            var port = Assert.IsType<string>(Assert.Single(List(replica, "ports")));
            var parts = port.Split(':');
            Assert.Equal(containerPort, parts[^1]);
            hostPorts.Add(parts[^2]);
            Assert.Equal($"forecasting-data:{volume}", Assert.Single(List(replica, "volumes")));
            Assert.StartsWith(volume + "/", Text(replica, "environment", "FORECASTING_MODELS"), StringComparison.Ordinal);
        }

        Assert.Equal(hostPorts.Count, hostPorts.Distinct().Count());
        Assert.Contains("forecasting-data", Map(Compose, "volumes").Keys.Cast<string>());
    }

    [Fact]
    public void ReplicasAreHealthyWhenTheImagesProbeScriptFindsThemReady()
    {
        var image = Dockerfile.Load();
        Assert.Contains(image.Final.All("COPY"), c => c.Arguments.EndsWith(" /app/healthcheck", StringComparison.Ordinal));
        var endpoints = File.ReadAllText(Path.Combine(Repo.Root, "src", "Forecasting.Api", "Endpoints", "HealthEndpoints.cs"));
        Assert.Contains("MapGet(\"/health/ready\"", endpoints, StringComparison.Ordinal);
        Assert.All(Replicas, r => Assert.Equal(["CMD", "/app/healthcheck", "/health/ready"], List(r, "healthcheck", "test").Cast<string>()));
    }

    private static HashSet<string> Names(Type options) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The file with <c>${VAR}</c>, <c>${VAR:-default}</c> and <c>${VAR:?message}</c> interpolated as compose does, and merge keys applied.</summary>
    private static Dictionary<object, object> Load(Dictionary<string, string> environment)
    {
        var text = Variable().Replace(File.ReadAllText(Repo.Deploy("compose", "compose.yaml")), match =>
        {
            var name = match.Groups["name"].Value;
            if (environment.TryGetValue(name, out var value) && value.Length > 0)
            {
                return value;
            }

            return match.Groups["op"].Value switch
            {
                ":-" => match.Groups["rest"].Value,
                ":?" => throw new InvalidOperationException($"required variable {name} is missing: {match.Groups["rest"].Value}"),
                _ => "",
            };
        });
        using var reader = new StringReader(text);
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:[-?])(?<rest>[^}]*))?\}")]
    private static partial Regex Variable();
}
