using System.Net;
using System.Text.Json;
using Forecasting.Testing;

namespace Forecasting.Cli.Tests;

/// <summary>
/// PostgreSQL restarted while the service retrains: the job (Quartz on the clustered PostgreSQL job
/// store) completes, the champion and the stored forecast agree, and the service is healthy again.
/// </summary>
public sealed class PostgresRestartTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("forecasting-pg-restart-").FullName;
    private PrivatePostgres _server = null!;

    public async Task InitializeAsync() => _server = await PrivatePostgres.StartAsync();

    [SkippableFact]
    public async Task PostgresRestartedDuringARetrainLeavesTheRegistryConsistentAndTheJobCompletes()
    {
        var db = _server.ConnectionString;
        var samples = await CliProcess.RunAsync(_dir, null, "samples", "--weeks", "10", "--out", "s.csv");
        var ingest = await CliProcess.RunAsync(_dir, null, "ingest", "s.csv", "--db", db);
        Assert.Equal((0, 0), (samples.ExitCode, ingest.ExitCode));

        using var node = ServeNode.Start(_dir, db, new Dictionary<string, string>
        {
            ["Forecasting__Schedule__RefreshCron"] = "0 0 3 1 1 ? 2099",
            ["Forecasting__Schedule__RetrainCron"] = "0 0 3 1 1 ? 2099",
        });
        await node.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync(node.Url + "/api/v1/retrain", null)).StatusCode);

        await node.WaitForRunsAsync(runs => runs.Any(r => r.Job == "retrain"), "the retrain to start");
        // Down for 2 s while the job runs: its reads resume, its writes wait, Quartz's check-ins fail and recover.
        await _server.StopAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await _server.StartAsync(CancellationToken.None);
        var restartedAt = DateTimeOffset.UtcNow;

        var runs = await node.WaitForRunsAsync(runs => runs.Any(r => r.Job == "retrain" && r.Outcome != "running"), "the retrain to finish");
        var retrain = runs.Single(r => r.Job == "retrain");
        Assert.True(retrain.Outcome == "succeeded", $"retrain {retrain.Outcome}: {retrain.Detail}");
        Assert.True(retrain.FinishedAt > restartedAt, $"the retrain finished at {retrain.FinishedAt:O}, before the restart ended at {restartedAt:O}");

        var models = Path.Combine(_dir, "models", "global-tokens");
        Assert.All(Directory.GetDirectories(models, "v*"), v => Assert.True(File.Exists(Path.Combine(v, "manifest.json")), $"{v} is half written"));
        using var pointer = JsonDocument.Parse(File.ReadAllText(Path.Combine(models, "current.json")));
        var champion = pointer.RootElement.GetProperty("version").GetString();
        using var forecast = JsonDocument.Parse(await http.GetStringAsync(node.Url + "/api/v1/forecasts/*/*"));
        Assert.Equal(champion, forecast.RootElement.GetProperty("model_version").GetString());
        Assert.Equal(168, forecast.RootElement.GetProperty("points").GetArrayLength());
        await node.WaitHealthyAsync();

        // The next run completes too: on the same usage it is skipped, and says why.
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync(node.Url + "/api/v1/retrain", null)).StatusCode);
        var next = await node.WaitForRunsAsync(runs => runs.Count(r => r.Job == "retrain" && r.Outcome != "running") == 2, "the second retrain to finish");
        var second = next.Where(r => r.Job == "retrain").OrderBy(r => r.FinishedAt).Last();
        Assert.Equal("skipped", second.Outcome);
        Assert.Contains("usage unchanged", second.Detail, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }
}
