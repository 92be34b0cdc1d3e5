using System.Text.Json;
using Forecasting.Api.Scheduling;
using Forecasting.Api.Tests.Support;
using Forecasting.Application;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;
using Forecasting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Forecasting.Api.Tests;

/// <summary>The hourly refresh collects each configured source in turn: one failing source is recorded and named, the other is collected.</summary>
public sealed class RefreshSourcesTests : IAsyncLifetime
{
    private const string GoodKey = "FORECASTING_TEST_REFRESH_GOOD_KEY";
    private const string BadKey = "FORECASTING_TEST_REFRESH_BAD_KEY";
    private readonly SeededService _seeded = new();

    public Task InitializeAsync() => _seeded.InitializeAsync();

    public Task DisposeAsync() => _seeded.DisposeAsync();

    [Fact]
    public async Task TheRefreshJobCollectsEverySourceAndRecordsTheFailingOne()
    {
        var now = UtcHour.Truncate(DateTimeOffset.UtcNow);
        Environment.SetEnvironmentVariable(GoodKey, FakeUsageServer.Key);
        Environment.SetEnvironmentVariable(BadKey, "sk-wrong");
        await using var relay = await FakeUsageServer.StartAsync(
            [.. Enumerable.Range(1, 3).Select(h => new HourlyUsage
            {
                Hour = now.AddHours(-h), Model = "claude-sonnet-4-5", Project = "refresh-test", InputTokens = 1000, OutputTokens = 100, Requests = 2,
            })]);
        var config = Path.Combine(_seeded.Root, "sources.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            sources = new object[]
            {
                new { name = "bad", base_url = relay.BaseUrl.ToString(), api_key_env = BadKey },
                new { name = "good", base_url = relay.BaseUrl.ToString(), api_key_env = GoodKey },
            },
        }));
        await using var host = await ApiHost.StartAsync(_seeded, now, scheduler: true, settings: new Dictionary<string, string?>
        {
            ["Forecasting:Config"] = config,
            ["Forecasting:Schedule:RefreshCron"] = "0 0 0 1 1 ? 2099",
            ["Forecasting:Schedule:RetrainCron"] = "0 0 0 1 1 ? 2099",
        });
        var status = host.App.Services.GetRequiredService<SourceStatus>();

        var scheduler = await host.App.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(RefreshJob.Key);
        for (var i = 0; i < 240 && status.All.Count < 2; i++)
        {
            await Task.Delay(250);
        }

        Assert.Equal(["bad", "good"], status.All.Select(s => s.Name));
        Assert.True(status.Get("bad")!.Failing);
        Assert.Contains("401", status.Get("bad")!.LastError, StringComparison.Ordinal);
        Assert.False(status.Get("good")!.Failing);
        Assert.Equal(3, status.Get("good")!.LastRows);
        await using var store = await UsageStore.OpenAndMigrateAsync(_seeded.Db, CancellationToken.None);
        var collected = new List<HourlyUsage>();
        await foreach (var row in store.ReadAsync(new UsageQuery(Project: "refresh-test"), CancellationToken.None))
        {
            collected.Add(row);
        }

        Assert.Equal(3, collected.Count);
        Assert.All(collected, r => Assert.Equal("claude-sonnet-4.5", r.Model));
    }
}
