using System.Text.Json;
using Forecasting.Api.Notifications;
using Forecasting.Api.Tests.Support;
using Forecasting.Application;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;
using Forecasting.ML.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Api.Tests;

/// <summary>Webhook notices against a local receiver, on a real SQLite store with a stored forecast and plan.</summary>
[Collection(SeededCollection.Name)]
public sealed class NotifierTests(SeededService seeded)
{
    private const string Leaf = "tutor/deepseek-v3.2";
    private const string Project = "tutor/*";
    private static readonly DateTimeOffset H0 = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static HourlyUsage Row(int h) => new() { Hour = H0.AddHours(h), Model = "deepseek-v3.2", Project = "tutor", InputTokens = 900_000, OutputTokens = 100_000, Requests = 100 };

    [Fact]
    public async Task EachConditionIsNotifiedOnceRetriedOn500AndNeverCarriesTheKeys()
    {
        const string ApiKey = "api-key-4b1d9e0c7f";
        const string RelayKey = "relay-key-91ac33d2e8";
        const string Secret = "Bearer webhook-secret-55aa";
        using var receiver = new WebhookReceiver(failFirst: 1);
        var root = Directory.CreateTempSubdirectory("forecasting-notify-").FullName;
        var db = Path.Combine(root, "usage.db");
        Environment.SetEnvironmentVariable("FORECASTING_API_KEY", ApiKey);
        Environment.SetEnvironmentVariable("FORECASTING_TEST_RELAY_KEY", RelayKey);
        Environment.SetEnvironmentVariable("FORECASTING_TEST_WEBHOOK_SECRET", Secret);
        try
        {
            await using (var store = await UsageStore.OpenAndMigrateAsync(db, CancellationToken.None))
            {
                await store.UpsertAsync([.. Enumerable.Range(0, 3).Select(Row)], CancellationToken.None);
                // Forecast from H2 with a band far below what arrives next; a budget of one cent is already spent.
                var points = Enumerable.Range(3, 24).Select(h => new ForecastPoint(H0.AddHours(h), 10, 15, 20)).ToList();
                var run = new ForecastRun(ForecastTarget.Tokens, "v0001", H0.AddHours(2).AddMinutes(70), H0.AddHours(2), 24, [new SeriesForecast(SeriesKey.Parse(Leaf), "snaive", points), new SeriesForecast(SeriesKey.Parse(Project), "bottom_up", points)]);
                var settings = new PlanningSettings { BudgetsUsdPerMonth = new() { ["tutor"] = 0.01 } };
                var workspace = new Workspace(store, new ModelRegistry(seeded.Models), settings, TimeProvider.System);
                var data = (await UsageData.LoadAsync(workspace, ForecastTarget.Tokens, CancellationToken.None)).Require();
                var plan = PlanBuilder.Build(workspace, run, data);
                Assert.Contains(plan.Recommendations, r => r.Kind == RecommendationKind.Budget && r.Severity == Severity.Critical);
                await store.SaveForecastAsync(run, PlanDocument.Serialize(plan), CancellationToken.None);
            }

            await using var host = await ApiHost.StartAsync(seeded, H0.AddHours(5).AddMinutes(30), db: db, settings: new Dictionary<string, string?>
            {
                ["Forecasting:DataStaleAfterMinutes"] = "180",
                ["Forecasting:StaleAfterMinutes"] = "600",
                ["Forecasting:Schedule:CollectApiKeyEnv"] = "FORECASTING_TEST_RELAY_KEY",
                ["Forecasting:Notify:WebhookUrl"] = receiver.Url,
                ["Forecasting:Notify:SecretHeaderEnv"] = "FORECASTING_TEST_WEBHOOK_SECRET",
                ["Forecasting:Notify:AnomalyHours"] = "3",
                ["Forecasting:Notify:RetryDelay"] = "00:00:00.050",
            });
            var notifier = host.App.Services.GetRequiredService<Notifier>();

            // The data ends at H2, 3.5 h before now: stale; the plan's budget is crossed.
            await notifier.CheckAsync(CancellationToken.None);
            await notifier.CheckAsync(CancellationToken.None);
            Assert.Equal(["budget:tutor", "stale:data_old"], notifier.Active.Order(StringComparer.Ordinal));

            // Three hours arrive, each far above the p90 forecast for it: an anomaly; the data is fresh again.
            await using (var store = await UsageStore.OpenAndMigrateAsync(db, CancellationToken.None))
            {
                await store.UpsertAsync([.. Enumerable.Range(3, 3).Select(Row)], CancellationToken.None);
            }

            await notifier.CheckAsync(CancellationToken.None);
            await notifier.CheckAsync(CancellationToken.None);
            Assert.Equal(["anomaly:tutor/*:high", "anomaly:tutor/deepseek-v3.2:high", "budget:tutor"], notifier.Active.Order(StringComparer.Ordinal));

            // A failure message that happens to carry a key is sent without it.
            await notifier.JobFailedAsync("refresh", $"source refused key {RelayKey} and {ApiKey}", CancellationToken.None);
            await notifier.JobFailedAsync("refresh", "again", CancellationToken.None);

            var requests = receiver.Requests;
            var delivered = requests.Where(r => r.Status == 200).Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("key").GetString()).ToList();
            Assert.Equal(["budget:tutor", "stale:data_old", "anomaly:tutor/*:high", "anomaly:tutor/deepseek-v3.2:high", "job_failed:refresh"], delivered);
            // The first attempt got a 500 and the same notice was sent again.
            Assert.Equal(6, requests.Count);
            Assert.Equal(500, requests[0].Status);
            Assert.Equal(requests[0].Body, requests[1].Body);
            Assert.All(requests, r =>
            {
                Assert.DoesNotContain(ApiKey, r.Body, StringComparison.Ordinal);
                Assert.DoesNotContain(RelayKey, r.Body, StringComparison.Ordinal);
                Assert.DoesNotContain("webhook-secret", r.Body, StringComparison.Ordinal);
                Assert.Equal(Secret, r.Secret);
            });
            Assert.Contains("source refused key ***", requests[^1].Body, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("FORECASTING_API_KEY", null);
            Environment.SetEnvironmentVariable("FORECASTING_TEST_RELAY_KEY", null);
            Environment.SetEnvironmentVariable("FORECASTING_TEST_WEBHOOK_SECRET", null);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task SlackFormatSendsText()
    {
        using var receiver = new WebhookReceiver();
        await using var host = await ApiHost.StartAsync(seeded, seeded.Forecast.GeneratedAt.AddMinutes(20), settings: new Dictionary<string, string?>
        {
            ["Forecasting:Notify:WebhookUrl"] = receiver.Url,
            ["Forecasting:Notify:Format"] = "slack",
        });

        await host.App.Services.GetRequiredService<Notifier>().JobFailedAsync("retrain", "out of disk", CancellationToken.None);

        var body = JsonDocument.Parse(Assert.Single(receiver.Requests).Body).RootElement;
        Assert.Equal("*job retrain failed* (critical)\nthe retrain job failed: out of disk", body.GetProperty("text").GetString());
    }
}
