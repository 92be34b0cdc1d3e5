using System.Net;
using System.Net.Http.Json;
using Forecasting.Api.Services;
using Forecasting.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Api.Tests;

/// <summary>Series, forecasts, recommendations, models and retrain against the seeded store and registry.</summary>
[Collection(SeededCollection.Name)]
public sealed class ForecastApiTests(SeededService seeded)
{
    private DateTimeOffset Now => seeded.Forecast.GeneratedAt.AddMinutes(20);

    [Fact]
    public async Task SeriesListsTheForecastKeysRollUpsFirstWithTheStoreSummary()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        var json = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/series"), HttpStatusCode.OK);

        var keys = json.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("key").GetString()).ToList();
        Assert.Equal([SeededService.Total, SeededService.Analytics, SeededService.Tutor], keys);
        Assert.True(json.GetProperty("series")[0].GetProperty("is_rollup").GetBoolean());
        Assert.Equal(seeded.UsageKeys, json.GetProperty("store").GetProperty("rows").GetInt64());
        Assert.Equal(seeded.Forecast.Origin, json.GetProperty("store").GetProperty("last_hour").GetDateTimeOffset());
    }

    [Fact]
    public async Task SeriesListsTheSeriesTheForecastSkippedWithTheReasonStoredWithTheRun()
    {
        // A run that left a brand-new series out, stored (as the forecast use case stores it) with its plan.
        var run = seeded.Forecast with { Skipped = [new Core.Forecasting.SkippedSeries("tutor/brand-new-model", "too new to forecast: 3 h")] };
        var db = Path.Combine(seeded.Root, $"skipped-{Guid.NewGuid():N}.db");
        await using (var store = await Data.Stores.UsageStore.OpenAndMigrateAsync(db, CancellationToken.None))
        {
            await store.SaveForecastAsync(run, Application.PlanDocument.Serialize(seeded.Plan with { Forecast = run }), CancellationToken.None);
        }

        await using var host = await ApiHost.StartAsync(seeded, Now, db: db);
        using var response = await host.Client.GetAsync("/api/v1/series");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = System.Text.Json.JsonDocument.Parse(body).RootElement;
        var skipped = Assert.Single(json.GetProperty("skipped").EnumerateArray());
        Assert.Equal("tutor/brand-new-model", skipped.GetProperty("key").GetString());
        Assert.Equal("too new to forecast: 3 h", skipped.GetProperty("reason").GetString());
        Assert.Equal(3, json.GetProperty("series").GetArrayLength());
        // The answer is what the OpenAPI document says it is.
        var document = await OpenApiDocument.FetchAsync(host.Client);
        var errors = document.Validate("/api/v1/series", "get", 200, response.Content.Headers.ContentType!.MediaType!, body);
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        // The seeded run skipped nothing: an empty list, not a missing field.
        await using var seededHost = await ApiHost.StartAsync(seeded, Now);
        var seededJson = await Json.ReadAsync(await seededHost.Client.GetAsync("/api/v1/series"), HttpStatusCode.OK);
        Assert.Equal(0, seededJson.GetProperty("skipped").GetArrayLength());
    }

    [Fact]
    public async Task ForecastOfASeriesWithSlashAndStarInThePath()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        var json = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/forecasts/*/*"), HttpStatusCode.OK);

        Assert.Equal(SeededService.Total, json.GetProperty("series").GetString());
        var first = json.GetProperty("points")[0];
        Assert.Equal(SeededService.TutorP50(1) + SeededService.AnalyticsP50, first.GetProperty("p50").GetDouble(), 6);
    }

    [Fact]
    public async Task ForecastByQueryCarriesCostAtTheSeriesPrice()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        var json = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/forecasts?series={Uri.EscapeDataString(SeededService.Tutor)}"), HttpStatusCode.OK);

        Assert.Equal(SeededService.Tutor, json.GetProperty("series").GetString());
        var price = json.GetProperty("usd_per_million").GetDouble();
        Assert.Equal("tokens", json.GetProperty("unit").GetString());
        Assert.InRange(price, 0.01, 1); // deepseek-v3.2 lists at 0.028-0.42 USD per million.
        var point = json.GetProperty("points")[3];
        Assert.Equal(SeededService.TutorP50(4), point.GetProperty("p50").GetDouble(), 6);
        Assert.Equal(SeededService.TutorP50(4) * price / 1e6, point.GetProperty("cost_usd").GetProperty("p50").GetDouble(), 9);
    }

    [Fact]
    public async Task ForecastCostAndRecommendationsComeFromThePlanStoredWithTheRunNotFromUsage()
    {
        // A store holding the run and its plan and no usage at all: whatever is answered was read from the plan.
        var db = Path.Combine(seeded.Root, $"plan-only-{Guid.NewGuid():N}.db");
        await using (var store = await Data.Stores.UsageStore.OpenAndMigrateAsync(db, CancellationToken.None))
        {
            await store.SaveForecastAsync(seeded.Forecast, seeded.PlanJson, CancellationToken.None);
        }

        await using var host = await ApiHost.StartAsync(seeded, Now, db: db);

        var forecast = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/forecasts?series={Uri.EscapeDataString(SeededService.Tutor)}"), HttpStatusCode.OK);
        var cost = seeded.Plan.Costs.Single(c => c.Series == SeededService.Tutor);
        Assert.Equal(cost.Points[3].P90, forecast.GetProperty("points")[3].GetProperty("cost_usd").GetProperty("p90").GetDouble(), 9);
        var recommendations = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/recommendations"), HttpStatusCode.OK);
        Assert.Equal(seeded.Plan.Recommendations.Count, recommendations.GetProperty("recommendations").GetArrayLength());
        Assert.Equal(seeded.Plan.Recommendations[0].Title, recommendations.GetProperty("recommendations")[0].GetProperty("title").GetString());
        Assert.Equal("tokens", recommendations.GetProperty("summaries")[0].GetProperty("unit").GetString());
    }

    [Fact]
    public async Task ARunStoredWithoutAPlanServesItsForecastWithoutCostAndRecommendationsSayWhy()
    {
        var db = Path.Combine(seeded.Root, $"no-plan-{Guid.NewGuid():N}.db");
        await using (var store = await Data.Stores.UsageStore.OpenAndMigrateAsync(db, CancellationToken.None))
        {
            await store.SaveForecastAsync(seeded.Forecast, CancellationToken.None);
        }

        await using var host = await ApiHost.StartAsync(seeded, Now, db: db);

        var forecast = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/forecasts?series={Uri.EscapeDataString(SeededService.Tutor)}"), HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, forecast.GetProperty("points")[0].GetProperty("cost_usd").ValueKind);
        var problem = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/recommendations"), HttpStatusCode.ServiceUnavailable);
        Assert.Contains("has no stored plan", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AForecastSaysItIsStaleByTheSameRuleAsTheAutoscaleAnswer()
    {
        await using (var fresh = await ApiHost.StartAsync(seeded, Now))
        {
            var json = await Json.ReadAsync(await fresh.Client.GetAsync($"/api/v1/forecasts?series={Uri.EscapeDataString(SeededService.Tutor)}"), HttpStatusCode.OK);
            Assert.False(json.GetProperty("stale").GetBoolean());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("stale_reason").ValueKind);
        }

        // Two days later nothing new has arrived: the data is old, whatever the forecast's own age.
        await using var later = await ApiHost.StartAsync(seeded, Now.AddDays(2));
        var forecast = await Json.ReadAsync(await later.Client.GetAsync($"/api/v1/forecasts?series={Uri.EscapeDataString(SeededService.Tutor)}"), HttpStatusCode.OK);
        var autoscale = await Json.ReadAsync(await later.Client.GetAsync($"/api/v1/autoscale?series={Uri.EscapeDataString(SeededService.Tutor)}"), HttpStatusCode.OK);
        Assert.True(forecast.GetProperty("stale").GetBoolean());
        Assert.Equal("data_old", forecast.GetProperty("stale_reason").GetString());
        Assert.Equal(autoscale.GetProperty("stale_reason").GetString(), forecast.GetProperty("stale_reason").GetString());
    }

    [Fact]
    public async Task UnknownSeriesIsA404Problem()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        var problem = await Json.ProblemAsync(await host.Client.GetAsync("/api/v1/forecasts/nobody/nothing"), HttpStatusCode.NotFound);

        Assert.Contains("nobody/nothing", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecommendationsComeFromThePlannerOfTheLatestForecast()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        var json = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/recommendations"), HttpStatusCode.OK);

        Assert.Equal(seeded.Training.Manifest.Version, json.GetProperty("model_version").GetString());
        var capacity = json.GetProperty("recommendations").EnumerateArray()
            .Single(r => r.GetProperty("kind").GetString() == "capacity" && r.GetProperty("subject").GetString() == SeededService.Total);
        // The total's peak p90 is hour 24: 1.25 x 3.4M + 2.5M = 6.75M.
        Assert.Contains("6.75M tokens/h", capacity.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, json.GetProperty("summaries").GetArrayLength());
    }

    [Fact]
    public async Task ModelsListTheTrainedVersionWithScoresAndDecision()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        var json = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/models"), HttpStatusCode.OK);

        var manifest = seeded.Training.Manifest;
        Assert.Equal("global-tokens", json.GetProperty("name").GetString());
        var version = Assert.Single(json.GetProperty("versions").EnumerateArray());
        Assert.Equal(manifest.Version, version.GetProperty("version").GetString());
        Assert.Equal(seeded.Training.Decision, version.GetProperty("decision").GetString());
        Assert.Equal(seeded.Training.Promoted, version.GetProperty("is_champion").GetBoolean());
        Assert.Equal(manifest.Backtest.Scores.Count, version.GetProperty("scores").GetArrayLength());
        Assert.Equal(manifest.Backtest.Served!.RelativeMae, version.GetProperty("served").GetProperty("relative_mae").GetDouble(), 9);
        if (seeded.Training.Promoted)
        {
            Assert.Equal(manifest.Version, json.GetProperty("champion").GetProperty("version").GetString());
        }
        else
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("champion").ValueKind);
        }
    }

    [Fact]
    public async Task RetrainWithTheSchedulerDisabledIs503BecauseNothingWouldRunIt()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        var problem = await Json.ProblemAsync(await host.Client.PostAsJsonAsync("/api/v1/retrain", new { reason = "launch week" }), HttpStatusCode.ServiceUnavailable);
        var jobs = await Json.ProblemAsync(await host.Client.GetAsync("/api/v1/jobs"), HttpStatusCode.ServiceUnavailable);

        Assert.Contains("Schedule:Enabled", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Scheduler disabled", jobs.GetProperty("title").GetString());
    }
}
