using System.Net;
using System.Text.Json;
using Forecasting.Api.Tests.Support;
using Forecasting.ML.Registry;
using Forecasting.ML.Training;

namespace Forecasting.Api.Tests;

/// <summary>The in-memory scheduler (SQLite store): a retrain request fires the real retrain job.</summary>
public sealed class SchedulerTests : IAsyncLifetime
{
    private readonly SeededService _seeded = new();

    public Task InitializeAsync() => _seeded.InitializeAsync();

    [Fact]
    public async Task ARetrainRequestRunsTheRetrainJobWhichRegistersAVersionAndShowsOnHealth()
    {
        await using var host = await ApiHost.StartAsync(_seeded, DateTimeOffset.UtcNow, scheduler: true);
        var registry = new ModelRegistry(_seeded.Models);
        var before = registry.List(ModelRegistry.NameOf(Core.Series.ForecastTarget.Tokens)).Count;

        using var response = await host.Client.PostAsync("/api/v1/retrain", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        JsonElement run = default;
        for (var i = 0; i < 240 && run.ValueKind == JsonValueKind.Undefined; i++)
        {
            await Task.Delay(500);
            using var health = JsonDocument.Parse(await host.Client.GetStringAsync("/health"));
            var scheduler = health.RootElement.GetProperty("scheduler");
            Assert.Equal("in memory", scheduler.GetProperty("job_store").GetString());
            var finished = scheduler.GetProperty("recent_runs").EnumerateArray()
                .Where(r => r.GetProperty("job").GetString() == "retrain" && r.GetProperty("outcome").GetString() != "running").ToList();
            if (finished.Count > 0)
            {
                run = finished[0].Clone();
            }
        }

        Assert.Equal(JsonValueKind.Object, run.ValueKind);
        Assert.Equal("succeeded", run.GetProperty("outcome").GetString());
        Assert.Equal(before + 1, registry.List(ModelRegistry.NameOf(Core.Series.ForecastTarget.Tokens)).Count);
        Assert.StartsWith($"v{before + 1:0000}", run.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("forecasting_job_last_run_succeeded{job=\"retrain\"} 1", metrics, StringComparison.Ordinal);
    }

    public Task DisposeAsync() => _seeded.DisposeAsync();
}
