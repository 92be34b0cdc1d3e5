using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Tests.Support;
using Forecasting.ML.Registry;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Forecasting.Api.Tests;

/// <summary>The in-memory scheduler (SQLite store): retrain requests fire the real retrain job, one at a time.</summary>
public sealed class SchedulerTests : IAsyncLifetime
{
    private readonly SeededService _seeded = new();

    public Task InitializeAsync() => _seeded.InitializeAsync();

    private int Versions => new ModelRegistry(_seeded.Models).List(ModelRegistry.NameOf(Core.Series.ForecastTarget.Tokens)).Count;

    [Fact]
    public async Task FiftyConcurrentRetrainRequestsRunOneRetrainAndARetrainOnUnchangedDataIsSkipped()
    {
        await using var host = await ApiHost.StartAsync(_seeded, DateTimeOffset.UtcNow, scheduler: true);
        var before = Versions;

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var response = await host.Client.PostAsJsonAsync("/api/v1/retrain", new { reason = $"request {i}" });
            return await Json.ReadAsync(response, HttpStatusCode.Accepted);
        }));

        var ids = answers.Select(a => a.GetProperty("id").GetString()).Distinct().ToList();
        Assert.Single(ids);
        Assert.Equal(49, answers.Count(a => a.GetProperty("already_requested").GetBoolean()));
        Assert.All(answers, a => Assert.Contains(a.GetProperty("status").GetString(), new[] { "queued", "running" }));
        var run = await WaitForEndAsync(host, ids[0]!);
        Assert.Equal("succeeded", run.GetProperty("state").GetString());
        Assert.Equal(before + 1, Versions);
        Assert.Equal($"v{before + 1:0000}", run.GetProperty("model_version").GetString());
        // Timings come from the scheduler's clock, which is the test's fake one here: present, not measured.
        Assert.Equal(JsonValueKind.Number, run.GetProperty("duration_seconds").ValueKind);
        Assert.Equal(JsonValueKind.String, run.GetProperty("finished_at").ValueKind);
        using (var jobs = JsonDocument.Parse(await host.Client.GetStringAsync("/api/v1/jobs")))
        {
            Assert.Single(jobs.RootElement.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("job").GetString() == "retrain");
        }

        // The usage has not changed since that version was trained: the next retrain says so instead of training.
        using var again = await host.Client.PostAsync("/api/v1/retrain", null);
        var second = await Json.ReadAsync(again, HttpStatusCode.Accepted);
        Assert.NotEqual(ids[0], second.GetProperty("id").GetString());
        var skipped = await WaitForEndAsync(host, second.GetProperty("id").GetString()!);
        Assert.Equal("skipped", skipped.GetProperty("state").GetString());
        Assert.Contains("usage unchanged since", skipped.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before + 1, Versions);
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("forecasting_job_last_run_succeeded{job=\"retrain\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecondRequestWhileOneIsQueuedGetsTheSameRetrain()
    {
        await using var host = await ApiHost.StartAsync(_seeded, DateTimeOffset.UtcNow, scheduler: true);
        var scheduler = await host.App.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        // The hosted service starts the scheduler once the app has started, in the background: put it in standby after that.
        for (var i = 0; i < 200 && !IsStarted(scheduler); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(IsStarted(scheduler), scheduler.Status.ToString());
        await scheduler.Standby();

        var first = await Json.ReadAsync(await host.Client.PostAsJsonAsync("/api/v1/retrain", new { reason = "first" }), HttpStatusCode.Accepted);
        using var secondResponse = await host.Client.PostAsJsonAsync("/api/v1/retrain", new { reason = "second" });
        Assert.Equal($"/api/v1/jobs/{first.GetProperty("id").GetString()}", secondResponse.Headers.Location?.OriginalString);
        var second = await Json.ReadAsync(secondResponse, HttpStatusCode.Accepted);
        var job = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/jobs/{first.GetProperty("id").GetString()}"), HttpStatusCode.OK);

        Assert.Equal("queued", first.GetProperty("status").GetString());
        Assert.False(first.GetProperty("already_requested").GetBoolean());
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.True(second.GetProperty("status").GetString() == "queued", second.ToString());
        Assert.True(second.GetProperty("already_requested").GetBoolean());
        Assert.Equal("queued", job.GetProperty("state").GetString());
        Assert.Equal("first", job.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/v1/jobs/no-such-id")).StatusCode);
        // Never run: the seeded registry stays as it is for the other test.
        Assert.True(await scheduler.UnscheduleJob(Scheduling.RetrainRequests.TriggerKey));
    }

    private static bool IsStarted(IScheduler scheduler) => string.Equals(scheduler.Status.ToString(), "Running", StringComparison.OrdinalIgnoreCase);

    private static async Task<JsonElement> WaitForEndAsync(ApiHost host, string id)
    {
        // A full retrain (13 origins x 6 models) on 2 busy cores can take minutes.
        for (var i = 0; i < 1200; i++)
        {
            using var response = await host.Client.GetAsync($"/api/v1/jobs/{id}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var job = await Json.ReadAsync(response, HttpStatusCode.OK);
                if (job.GetProperty("state").GetString() is not ("queued" or "running"))
                {
                    return job;
                }
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"job {id} did not finish in 10 minutes: {await host.Client.GetStringAsync("/api/v1/jobs")}");
    }

    public Task DisposeAsync() => _seeded.DisposeAsync();
}
