using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Forecasting.Testing;
using Npgsql;

namespace Forecasting.Cli.Tests;

/// <summary>
/// Two <c>forecasting serve</c> processes on one real PostgreSQL database: Quartz's clustered job store
/// runs each scheduled fire on exactly one node, and when one node is killed the other carries on.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("forecasting-cluster-").FullName;
    private readonly List<ServeNode> _nodes = [];
    private TestPostgres? _postgres;
    private string? _connectionString;

    public async Task InitializeAsync()
    {
        // The tests themselves say why they skip (or fail under CI=true) without a server.
        if (TestPostgres.ServerConnectionString is null)
        {
            return;
        }

        _postgres = await TestPostgres.CreateAsync();
        _connectionString = _postgres.ConnectionString;
    }

    [SkippableFact]
    public async Task EachScheduledFireRunsOnOneNodeAndTheSurvivorTakesOver()
    {
        Skip.If(_connectionString is null && Environment.GetEnvironmentVariable("CI") != "true", "no PostgreSQL server: set FORECASTING_TEST_PG or run ./test.sh");
        Assert.NotNull(_connectionString);

        var a = StartNode();
        await a.WaitHealthyAsync();
        var b = StartNode();
        await b.WaitHealthyAsync();
        await Task.Delay(TimeSpan.FromSeconds(12));

        var before = (await FinishedRunsAsync(a)).Concat(await FinishedRunsAsync(b)).ToList();
        var fires = before.Select(r => r.ScheduledFor).ToList();
        Assert.True(fires.Count >= 4, $"only {fires.Count} runs in 12 s with a 2 s schedule");
        Assert.Equal(fires.Count, fires.Distinct().Count());
        Assert.All(before, r => Assert.Equal("refresh", r.Job));

        a.Process.Kill(entireProcessTree: true);
        var killedAt = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(12));

        var survivor = await FinishedRunsAsync(b);
        var after = survivor.Where(r => r.ScheduledFor > killedAt.AddSeconds(4)).ToList();
        Assert.True(after.Count >= 2, $"the surviving node ran {after.Count} fires after the other was killed");
        Assert.Equal(survivor.Count, survivor.Select(r => r.ScheduledFor).Distinct().Count());
        Assert.All(after, r => Assert.Equal("succeeded", r.Outcome));
    }

    [SkippableFact]
    public async Task TwoNodesStartingAtOnceOnAnEmptyDatabaseBothComeUp()
    {
        Skip.If(_connectionString is null && Environment.GetEnvironmentVariable("CI") != "true", "no PostgreSQL server: set FORECASTING_TEST_PG or run ./test.sh");
        Assert.NotNull(_connectionString);

        // Both create the usage schema and Quartz's tables at the same instant.
        var a = StartNode(refreshCron: "0 0 3 1 1 ? 2099");
        var b = StartNode(refreshCron: "0 0 3 1 1 ? 2099");

        await Task.WhenAll(a.WaitHealthyAsync(TimeSpan.FromSeconds(60)), b.WaitHealthyAsync(TimeSpan.FromSeconds(60)));
        Assert.False(a.Process.HasExited || b.Process.HasExited);
        // The API answers as soon as the store does; each scheduler starts once Quartz's tables are there (the other
        // node may be creating them): both must be running within the minute.
        Assert.Equal("running", await SchedulerRunningAsync(a));
        Assert.Equal("running", await SchedulerRunningAsync(b));
    }

    private static async Task<string?> SchedulerRunningAsync(ServeNode node)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        string? status;
        while ((status = await SchedulerStatusAsync(node)) != "running" && DateTimeOffset.UtcNow < deadline && !node.Process.HasExited)
        {
            await Task.Delay(250);
        }

        return status;
    }

    [SkippableFact]
    public async Task ARetrainInterruptedByAKilledNodeIsRunAgainByTheOther()
    {
        Skip.If(_connectionString is null && Environment.GetEnvironmentVariable("CI") != "true", "no PostgreSQL server: set FORECASTING_TEST_PG or run ./test.sh");
        Assert.NotNull(_connectionString);
        var samples = await CliProcess.RunAsync(_dir, null, "samples", "--weeks", "10", "--out", "s.csv");
        var ingest = await CliProcess.RunAsync(_dir, null, "ingest", "s.csv", "--db", _connectionString!);
        Assert.Equal((0, 0), (samples.ExitCode, ingest.ExitCode));

        // A node is taken as gone after 10 s of silence here: a CPU-bound retrain on 2 cores must not look like a dead node.
        var a = StartNode(refreshCron: "0 0 3 1 1 ? 2099", gone: "00:00:10");
        await a.WaitHealthyAsync();
        var b = StartNode(refreshCron: "0 0 3 1 1 ? 2099", gone: "00:00:10");
        await b.WaitHealthyAsync();
        using var http = new HttpClient();
        using var first = await http.PostAsync(a.Url + "/api/v1/retrain", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, first.StatusCode);
        // The request is a trigger in the shared job store: the other node answers with the same retrain, queued or running.
        using var second = await http.PostAsync(b.Url + "/api/v1/retrain", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, second.StatusCode);
        using (var firstJson = JsonDocument.Parse(await first.Content.ReadAsStringAsync()))
        using (var secondJson = JsonDocument.Parse(await second.Content.ReadAsStringAsync()))
        {
            Assert.Equal(firstJson.RootElement.GetProperty("id").GetString(), secondJson.RootElement.GetProperty("id").GetString());
            Assert.True(secondJson.RootElement.GetProperty("already_requested").GetBoolean());
        }

        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM qrtz_triggers WHERE trigger_name LIKE 'retrain-requested%'", connection);
            Assert.True((long)(await count.ExecuteScalarAsync())! <= 1, "more than one retrain request stored in the job store");
        }

        // Whichever node took the fire is killed in the middle of the retrain.
        ServeNode? runner = null;
        for (var i = 0; i < 600 && runner is null; i++)
        {
            await Task.Delay(100);
            foreach (var node in new[] { a, b })
            {
                if ((await node.RunsAsync()).Any(r => r.Job == "retrain" && r.Outcome == "running"))
                {
                    runner = node;
                }
            }
        }

        Assert.NotNull(runner);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Contains(await runner.RunsAsync(), r => r.Job == "retrain" && r.Outcome == "running");
        runner.Process.Kill(entireProcessTree: true);
        var survivor = runner == a ? b : a;

        var runs = await survivor.WaitForRunsAsync(runs => runs.Any(r => r.Job == "retrain" && r.Outcome != "running"), "the survivor's retrain", within: TimeSpan.FromMinutes(3));
        var recovered = runs.First(r => r.Job == "retrain" && r.Outcome != "running");
        Assert.True(recovered.Outcome == "succeeded", $"{recovered.Outcome}: {recovered.Detail}");
        Assert.True(recovered.Recovering, "the survivor's retrain was not a recovery of the killed node's");
        var models = Path.Combine(_dir, "models", "global-tokens");
        Assert.All(Directory.GetDirectories(models, "v*"), v => Assert.True(File.Exists(Path.Combine(v, "manifest.json")), $"{v} is half written"));
        using var pointer = JsonDocument.Parse(File.ReadAllText(Path.Combine(models, "current.json")));
        using var forecast = JsonDocument.Parse(await http.GetStringAsync(survivor.Url + "/api/v1/forecasts/*/*"));
        Assert.Equal(pointer.RootElement.GetProperty("version").GetString(), forecast.RootElement.GetProperty("model_version").GetString());
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    private static async Task<string?> SchedulerStatusAsync(ServeNode node)
    {
        using var http = new HttpClient();
        using var health = JsonDocument.Parse(await http.GetStringAsync(node.Url + "/health"));
        return health.RootElement.GetProperty("scheduler").GetProperty("status").GetString();
    }

    private static async Task<List<ServeNode.Run>> FinishedRunsAsync(ServeNode node) =>
        [.. (await node.RunsAsync()).Where(r => r.Outcome != "running")];

    private ServeNode StartNode(string refreshCron = "0/2 * * * * ?", string gone = "00:00:03")
    {
        // Every 2 s by default, and a node silent for 3 s is taken as gone.
        var node = ServeNode.Start(_dir, _connectionString!, new Dictionary<string, string>
        {
            ["Forecasting__Schedule__RefreshCron"] = refreshCron,
            ["Forecasting__Schedule__RetrainCron"] = "0 0 3 1 1 ? 2099",
            ["Forecasting__Schedule__ClusterCheckinInterval"] = "00:00:01",
            ["Forecasting__Schedule__ClusterCheckinMisfireThreshold"] = gone,
        });
        _nodes.Add(node);
        return node;
    }
}
