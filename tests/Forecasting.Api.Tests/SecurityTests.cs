using System.Net;
using System.Net.Http.Headers;
using Forecasting.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Api.Tests;

[Collection(SeededCollection.Name)]
public sealed class SecurityTests(SeededService seeded)
{
    private const string Key = "test-key-123-abc";

    private DateTimeOffset Now => seeded.Forecast.GeneratedAt.AddMinutes(20);

    [Fact]
    public async Task WithAKeySetApiRoutesWithoutItAre401Problems()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now, apiKey: Key);

        var problem = await Json.ProblemAsync(await host.Client.GetAsync("/api/v1/autoscale"), HttpStatusCode.Unauthorized);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/v1/series");
        wrong.Headers.Add("X-API-KEY", Key + "x");
        using var wrongResponse = await host.Client.SendAsync(wrong);
        using var post = await host.Client.PostAsync("/api/v1/retrain", null);

        Assert.Contains("X-API-KEY", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Fact]
    public async Task UnknownApiPathsAskForTheKeyBeforeSayingNotFound()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now, apiKey: Key);

        using var response = await host.Client.GetAsync("/api/v1/no-such-route");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TheKeyInXApiKeyIsAccepted()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now, apiKey: Key);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/autoscale");
        request.Headers.Add("X-API-KEY", Key);

        var json = await Json.ReadAsync(await host.Client.SendAsync(request), HttpStatusCode.OK);

        Assert.Equal(SeededService.Total, json.GetProperty("series").GetString());
    }

    [Fact]
    public async Task TheKeyAsABearerTokenIsAccepted()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now, apiKey: Key);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/series");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        var json = await Json.ReadAsync(await host.Client.SendAsync(request), HttpStatusCode.OK);

        Assert.Equal(3, json.GetProperty("series").GetArrayLength());
    }

    [Theory]
    [InlineData("/health/live", "ok")]
    [InlineData("/health/ready", "ready")]
    public async Task ProbesStayOpenAndSayOneWord(string path, string word)
    {
        await using var host = await ApiHost.StartAsync(seeded, Now, apiKey: Key);

        using var response = await host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(word, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheOpenApiDocumentStaysOpen()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now, apiKey: Key);

        using var response = await host.Client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/health", "model_version")]
    [InlineData("/metrics", "tutor")]
    public async Task WithAKeySetHealthDetailsAndMetricsNeedIt(string path, string detail)
    {
        await using var host = await ApiHost.StartAsync(seeded, Now, apiKey: Key);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        using var without = await host.Client.GetAsync(path);
        using var with = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        var leaked = await without.Content.ReadAsStringAsync();
        Assert.DoesNotContain(detail, leaked, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        Assert.Contains(detail, await with.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicMetricsLeavesMetricsOpenButNotHealth()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now, apiKey: Key, settings: new Dictionary<string, string?> { ["Forecasting:PublicMetrics"] = "true" });

        using var metrics = await host.Client.GetAsync("/metrics");
        using var health = await host.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("forecasting_forecast_next_hour_tokens{", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, health.StatusCode);
    }

    [Fact]
    public async Task WithoutAKeyHealthAndMetricsAreOpen()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now, apiKey: null);

        using var metrics = await host.Client.GetAsync("/metrics");
        using var health = await host.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task WithoutAKeyApiRoutesAreOpen()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now, apiKey: null);

        using var response = await host.Client.GetAsync("/api/v1/series");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
