using System.Net;
using Forecasting.Api.Tests.Support;

namespace Forecasting.Api.Tests;

/// <summary>/health, /metrics and /openapi/v1.json.</summary>
[Collection(SeededCollection.Name)]
public sealed class OperationsTests(SeededService seeded)
{
    private DateTimeOffset Now => seeded.Forecast.GeneratedAt.AddMinutes(20);

    [Fact]
    public async Task HealthSaysTheStoreIsUpAndHowOldTheForecastIs()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        using var response = await host.Client.GetAsync("/health");
        var json = await Json.ReadAsync(response, HttpStatusCode.OK);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("healthy", json.GetProperty("status").GetString());
        Assert.Equal("up", json.GetProperty("store").GetProperty("status").GetString());
        Assert.Equal(seeded.UsageKeys, json.GetProperty("store").GetProperty("rows").GetInt64());
        Assert.Equal(1200, json.GetProperty("forecast").GetProperty("age_seconds").GetDouble(), 6);
        Assert.False(json.GetProperty("forecast").GetProperty("stale").GetBoolean());
    }

    [Fact]
    public async Task ReadyIs503WhenTheStoreCannotBeOpenedAndSaysNothingMore()
    {
        var notAFile = Directory.CreateDirectory(Path.Combine(seeded.Root, $"dir-{Guid.NewGuid():N}")).FullName;
        await using var host = await ApiHost.StartAsync(seeded, Now, db: notAFile);

        using var response = await host.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("not ready", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HealthIs503WhenTheStoreCannotBeOpened()
    {
        // A directory where the SQLite file should be: the store cannot open it.
        var notAFile = Directory.CreateDirectory(Path.Combine(seeded.Root, $"dir-{Guid.NewGuid():N}")).FullName;
        await using var host = await ApiHost.StartAsync(seeded, Now, db: notAFile);

        var json = await Json.ReadAsync(await host.Client.GetAsync("/health"), HttpStatusCode.ServiceUnavailable);

        Assert.Equal("down", json.GetProperty("store").GetProperty("status").GetString());
        Assert.DoesNotContain(notAFile, json.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsHaveTheForecastGaugesAndHttpRequests()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);
        (await host.Client.GetAsync("/api/v1/series")).Dispose();

        var text = await host.Client.GetStringAsync("/metrics");

        // Next hour is forecast hour 2: tutor p50 1.2M, total 3.2M.
        Assert.Contains("forecasting_forecast_next_hour_tokens{project=\"tutor\",model=\"deepseek-v3.2\",level=\"leaf\",quantile=\"0.5\"} 1200000", text, StringComparison.Ordinal);
        Assert.Contains("forecasting_forecast_next_hour_tokens{project=\"*\",model=\"*\",level=\"rollup\",quantile=\"0.5\"} 3200000", text, StringComparison.Ordinal);
        Assert.Contains("forecasting_forecast_age_seconds{target=\"tokens\"} 1200", text, StringComparison.Ordinal);
        Assert.Contains("http_requests_received_total{code=\"200\",method=\"GET\",controller=\"\",action=\"\",endpoint=\"/api/v1/series\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiListsTheAutoscaleRoute()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        var json = await Json.ReadAsync(await host.Client.GetAsync("/openapi/v1.json"), HttpStatusCode.OK);

        var paths = json.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/autoscale", out var autoscale));
        Assert.True(autoscale.TryGetProperty("get", out _));
        Assert.True(paths.TryGetProperty("/api/v1/retrain", out _));
    }
}
