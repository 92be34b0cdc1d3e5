using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;

namespace Forecasting.Cli.Tests;

/// <summary>
/// Two <c>forecasting serve</c> processes on one real PostgreSQL database: Quartz's clustered job store
/// runs each scheduled fire on exactly one node, and when one node is killed the other carries on.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("forecasting-cluster-").FullName;
    private readonly List<Process> _nodes = [];
    private string? _database;
    private string? _connectionString;

    public async Task InitializeAsync()
    {
        var server = Environment.GetEnvironmentVariable("FORECASTING_TEST_PG");
        if (string.IsNullOrEmpty(server))
        {
            return;
        }

        _database = "c_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {_database} TEMPLATE template0", connection);
        await create.ExecuteNonQueryAsync();
        _connectionString = new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString;
    }

    [SkippableFact]
    public async Task EachScheduledFireRunsOnOneNodeAndTheSurvivorTakesOver()
    {
        Skip.If(_connectionString is null && Environment.GetEnvironmentVariable("CI") != "true", "no PostgreSQL server: set FORECASTING_TEST_PG or run ./test.sh");
        Assert.NotNull(_connectionString);

        var a = StartNode();
        await WaitHealthyAsync(a.Url);
        var b = StartNode();
        await WaitHealthyAsync(b.Url);
        await Task.Delay(TimeSpan.FromSeconds(12));

        var before = (await RunsAsync(a.Url)).Concat(await RunsAsync(b.Url)).ToList();
        var fires = before.Select(r => r.ScheduledFor).ToList();
        Assert.True(fires.Count >= 4, $"only {fires.Count} runs in 12 s with a 2 s schedule");
        Assert.Equal(fires.Count, fires.Distinct().Count());
        Assert.All(before, r => Assert.Equal("refresh", r.Job));

        a.Process.Kill(entireProcessTree: true);
        var killedAt = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(12));

        var survivor = await RunsAsync(b.Url);
        var after = survivor.Where(r => r.ScheduledFor > killedAt.AddSeconds(4)).ToList();
        Assert.True(after.Count >= 2, $"the surviving node ran {after.Count} fires after the other was killed");
        Assert.Equal(survivor.Count, survivor.Select(r => r.ScheduledFor).Distinct().Count());
        Assert.All(after, r => Assert.Equal("succeeded", r.Outcome));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }

            await node.WaitForExitAsync();
            node.Dispose();
        }

        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("FORECASTING_TEST_PG"));
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    private (Process Process, string Url) StartNode()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "forecasting.dll"), "serve", "--urls", url, "--db", _connectionString!, "--models", Path.Combine(_dir, "models") })
        {
            start.ArgumentList.Add(arg);
        }

        // Every 2 s, and a node silent for 3 s is taken as gone.
        start.Environment["Forecasting__Schedule__RefreshCron"] = "0/2 * * * * ?";
        start.Environment["Forecasting__Schedule__RetrainCron"] = "0 0 3 1 1 ? 2099";
        start.Environment["Forecasting__Schedule__ClusterCheckinInterval"] = "00:00:01";
        start.Environment["Forecasting__Schedule__ClusterCheckinMisfireThreshold"] = "00:00:03";
        start.Environment["FORECASTING_API_KEY"] = "";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _nodes.Add(process);
        return (process, url);
    }

    private static async Task WaitHealthyAsync(string url)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 120; i++)
        {
            try
            {
                if ((await http.GetAsync(url + "/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{url} did not become healthy");
    }

    private static async Task<List<Run>> RunsAsync(string url)
    {
        using var http = new HttpClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync(url + "/health"));
        var scheduler = document.RootElement.GetProperty("scheduler");
        Assert.Equal("postgresql, clustered", scheduler.GetProperty("job_store").GetString());
        return [.. scheduler.GetProperty("recent_runs").EnumerateArray()
            .Where(r => r.GetProperty("outcome").GetString() != "running")
            .Select(r => new Run(r.GetProperty("job").GetString()!, r.GetProperty("scheduled_for").GetDateTimeOffset(), r.GetProperty("outcome").GetString()!))];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record Run(string Job, DateTimeOffset ScheduledFor, string Outcome);
}
