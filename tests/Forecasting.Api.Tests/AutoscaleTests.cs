using System.Net;
using Forecasting.Api.Tests.Support;

namespace Forecasting.Api.Tests;

/// <summary>The KEDA contract, with values worked out by hand from the seeded forecast.</summary>
[Collection(SeededCollection.Name)]
public sealed class AutoscaleTests(SeededService seeded)
{
    // 20 minutes after the forecast was generated: inside forecast hour 1.
    private DateTimeOffset Now => seeded.Forecast.GeneratedAt.AddMinutes(20);

    [Fact]
    public async Task AnswersEveryContractFieldInSnakeCase()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        var json = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/autoscale?series={Uri.EscapeDataString(SeededService.Tutor)}"), HttpStatusCode.OK);

        Assert.Equal(seeded.Forecast.GeneratedAt, json.GetProperty("generated_at").GetDateTimeOffset());
        Assert.Equal(seeded.Training.Manifest.Version, json.GetProperty("model_version").GetString());
        Assert.False(json.GetProperty("stale").GetBoolean());
        Assert.Equal(SeededService.Tutor, json.GetProperty("series").GetString());
        Assert.Equal("tokens_per_hour", json.GetProperty("metric").GetString());
        // Next hour is forecast hour 2: p50 1.2M, p90 1.5M.
        Assert.Equal(seeded.HourOf(2), json.GetProperty("next_hour").GetProperty("hour").GetDateTimeOffset());
        Assert.Equal(1_200_000, json.GetProperty("next_hour").GetProperty("p50").GetDouble());
        Assert.Equal(1_500_000, json.GetProperty("next_hour").GetProperty("p90").GetDouble());
        var recommended = json.GetProperty("recommended");
        Assert.Equal(0, recommended.GetProperty("lead_minutes").GetInt32());
        Assert.True(recommended.TryGetProperty("value", out _));
        Assert.True(recommended.TryGetProperty("replicas", out _));
        var points = json.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(SeededService.Hours, points.Count);
        Assert.Equal(seeded.HourOf(5), points[4].GetProperty("hour").GetDateTimeOffset());
        Assert.Equal(0.8 * SeededService.TutorP50(5), points[4].GetProperty("p10").GetDouble(), 6);
        Assert.Equal(SeededService.TutorP50(5), points[4].GetProperty("p50").GetDouble(), 6);
        Assert.Equal(1.25 * SeededService.TutorP50(5), points[4].GetProperty("p90").GetDouble(), 6);
    }

    [Fact]
    public async Task WithPointsNoneTheAnswerIsTheSameLessTheCurveAndAFractionOfTheBytes()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);
        var url = $"/api/v1/autoscale?series={Uri.EscapeDataString(SeededService.Tutor)}&lead=100";
        using var full = await host.Client.GetAsync(url);
        using var compact = await host.Client.GetAsync(url + "&points=NONE");
        Assert.Equal(HttpStatusCode.OK, compact.StatusCode);
        var fullBody = await full.Content.ReadAsStringAsync();
        var compactBody = await compact.Content.ReadAsStringAsync();

        var fullFields = System.Text.Json.Nodes.JsonNode.Parse(fullBody)!.AsObject();
        var compactFields = System.Text.Json.Nodes.JsonNode.Parse(compactBody)!.AsObject();
        Assert.Null(compactFields["points"]);
        Assert.NotEmpty(fullFields["points"]!.AsArray());
        fullFields.Remove("points");
        compactFields.Remove("points");
        Assert.Equal(fullFields.ToJsonString(), compactFields.ToJsonString());
        Assert.True(compactBody.Length * 4 < fullBody.Length, $"{compactBody.Length} bytes of {fullBody.Length}");
        // points=all is the default, spelled out.
        Assert.Equal(fullBody, await host.Client.GetStringAsync(url + "&points=all"));

        // Half a kilobyte is sent as it is, even to a client that accepts gzip (as KEDA's does).
        using var request = new HttpRequestMessage(HttpMethod.Get, url + "&points=none");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var asked = await host.Client.SendAsync(request);
        Assert.Empty(asked.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", asked.Headers.Vary);
        Assert.Equal(compactBody, await asked.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AClientAskingForGzipGetsTheSameAnswerCompressed()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);
        var url = $"/api/v1/autoscale?series={Uri.EscapeDataString(SeededService.Tutor)}&lead=100";
        using var plain = await host.Client.GetAsync(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.ParseAdd("br;q=1.0, gzip;q=0.8");

        using var zipped = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, zipped.StatusCode);
        Assert.Equal(["gzip"], zipped.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", zipped.Headers.Vary);
        var compressed = await zipped.Content.ReadAsByteArrayAsync();
        await using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var body = await plain.Content.ReadAsStringAsync();
        Assert.Equal(body, await reader.ReadToEndAsync());
        Assert.True(compressed.Length < body.Length / 2, $"{compressed.Length} bytes compressed of {body.Length}");
        Assert.Empty(plain.Content.Headers.ContentEncoding);

        // gzip refused with q=0 gets the plain answer.
        using var refused = new HttpRequestMessage(HttpMethod.Get, url);
        refused.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip;q=0.00, identity");
        using var identity = await host.Client.SendAsync(refused);
        Assert.Empty(identity.Content.Headers.ContentEncoding);
        Assert.Equal(body, await identity.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RecommendsTheP90OfTheHourAtTheLeadAndRoundsReplicasUp()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        // now + 100 min falls in forecast hour 3: p50 1.3M, p90 1.625M; 1.625M / 0.5M = 3.25 -> 4 replicas.
        var json = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/autoscale?series={Uri.EscapeDataString(SeededService.Tutor)}&lead=100&per_replica_tokens_per_hour=500000"), HttpStatusCode.OK);

        var recommended = json.GetProperty("recommended");
        Assert.Equal(1_625_000, recommended.GetProperty("value").GetDouble(), 6);
        Assert.Equal(4, recommended.GetProperty("replicas").GetInt64());
        Assert.Equal(100, recommended.GetProperty("lead_minutes").GetInt32());
        Assert.Equal(seeded.HourOf(3), recommended.GetProperty("hour").GetDateTimeOffset());
    }

    [Fact]
    public async Task DefaultsToTheTotalAndTheConfiguredReplicaSize()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        var json = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/autoscale"), HttpStatusCode.OK);

        // Total at hour 1: p90 = 1.25 x 1.1M + 2.5M = 3.875M; default 2M per replica -> 2.
        Assert.Equal(SeededService.Total, json.GetProperty("series").GetString());
        Assert.Equal(3_875_000, json.GetProperty("recommended").GetProperty("value").GetDouble(), 6);
        Assert.Equal(2, json.GetProperty("recommended").GetProperty("replicas").GetInt64());
    }

    [Fact]
    public async Task BeyondTheForecastTheLastHourAnswersAndBeforeItTheFirst()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);
        await using var early = await ApiHost.StartAsync(seeded, seeded.Forecast.Origin.AddHours(-3));
        var tutor = Uri.EscapeDataString(SeededService.Tutor);

        var beyond = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/autoscale?series={tutor}&lead=100000"), HttpStatusCode.OK);
        var before = await Json.ReadAsync(await early.Client.GetAsync($"/api/v1/autoscale?series={tutor}&lead=30"), HttpStatusCode.OK);

        Assert.Equal(1.25 * SeededService.TutorP50(SeededService.Hours), beyond.GetProperty("recommended").GetProperty("value").GetDouble(), 6);
        Assert.Equal(seeded.HourOf(SeededService.Hours), beyond.GetProperty("recommended").GetProperty("hour").GetDateTimeOffset());
        Assert.Equal(1.25 * SeededService.TutorP50(1), before.GetProperty("recommended").GetProperty("value").GetDouble(), 6);
        Assert.Equal(seeded.HourOf(1), before.GetProperty("recommended").GetProperty("hour").GetDateTimeOffset());
    }

    [Fact]
    public async Task AKeptAnswerIsByteForByteWhatANewServerBuildsAtTheSameInstant()
    {
        // One server answers while its clock moves (across forecast hours, past the forecast-age threshold); at each
        // instant a server that has kept nothing answers the same questions: the bytes must be identical, plain and gzip.
        await using var warm = await ApiHost.StartAsync(seeded, Now);
        var tutor = Uri.EscapeDataString(SeededService.Tutor);
        string[] queries = ["", $"?series={tutor}", $"?series={tutor}&lead=100&per_replica_tokens_per_hour=500000", $"?series={tutor}&lead=100000", "?lead=45"];
        foreach (var minutes in new[] { 0, 1, 50, 101, 400 })
        {
            await using var cold = await ApiHost.StartAsync(seeded, Now.AddMinutes(minutes));
            foreach (var query in queries)
            {
                foreach (var gzip in new[] { false, true })
                {
                    var kept = await BytesAsync(warm, query, gzip);
                    var again = await BytesAsync(warm, query, gzip);
                    var built = await BytesAsync(cold, query, gzip);
                    Assert.True(kept.SequenceEqual(built), $"+{minutes} min {query} gzip {gzip}: {System.Text.Encoding.UTF8.GetString(gzip ? Gunzip(kept) : kept)} vs {System.Text.Encoding.UTF8.GetString(gzip ? Gunzip(built) : built)}");
                    Assert.Equal(kept, again);
                }
            }

            if (minutes == 101)
            {
                // The answers at this instant were stale (forecast_old) and said so.
                var json = await Json.ReadAsync(await warm.Client.GetAsync("/api/v1/autoscale"), HttpStatusCode.OK);
                Assert.Equal("forecast_old", json.GetProperty("stale_reason").GetString());
            }

            warm.Clock.Advance(TimeSpan.FromMinutes(minutes switch { 0 => 1, 1 => 49, 50 => 51, 101 => 299, _ => 0 }));
        }

        static async Task<byte[]> BytesAsync(ApiHost host, string query, bool gzip)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/autoscale{query}");
            if (gzip)
            {
                request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate");
            }

            using var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(gzip ? new[] { "gzip" } : Array.Empty<string>(), response.Content.Headers.ContentEncoding);
            return await response.Content.ReadAsByteArrayAsync();
        }

        static byte[] Gunzip(byte[] bytes)
        {
            using var output = new MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress))
            {
                gzip.CopyTo(output);
            }

            return output.ToArray();
        }
    }

    [Fact]
    public async Task StaleFlipsWhenTheForecastGetsOlderThanTheThreshold()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        var fresh = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/autoscale"), HttpStatusCode.OK);
        // Generated 20 min ago; 101 more minutes makes 121 > 120.
        host.Clock.Advance(TimeSpan.FromMinutes(101));
        var old = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/autoscale"), HttpStatusCode.OK);

        Assert.False(fresh.GetProperty("stale").GetBoolean());
        Assert.True(old.GetProperty("stale").GetBoolean());
        // Still served from the stored forecast.
        Assert.Equal(fresh.GetProperty("generated_at").GetDateTimeOffset(), old.GetProperty("generated_at").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("lead=-5")]
    [InlineData("lead=abc")]
    [InlineData("lead=1.5")]
    [InlineData("per_replica_tokens_per_hour=0")]
    [InlineData("per_replica_tokens_per_hour=-100")]
    [InlineData("per_replica_tokens_per_hour=lots")]
    [InlineData("per_replica_tokens_per_hour=NaN")]
    [InlineData("points=some")]
    public async Task BadNumbersAreA400Problem(string query)
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        var problem = await Json.ProblemAsync(await host.Client.GetAsync($"/api/v1/autoscale?{query}"), HttpStatusCode.BadRequest);

        Assert.Contains(query.Split('=')[0], problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownSeriesIsA404Problem()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        var problem = await Json.ProblemAsync(await host.Client.GetAsync("/api/v1/autoscale?series=nobody%2Fnothing"), HttpStatusCode.NotFound);

        Assert.Contains("nobody/nothing", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAStoredForecastItIsA503Problem()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now, db: Path.Combine(seeded.Root, $"empty-{Guid.NewGuid():N}.db"));

        var problem = await Json.ProblemAsync(await host.Client.GetAsync("/api/v1/autoscale"), HttpStatusCode.ServiceUnavailable);

        Assert.Equal("No forecast yet", problem.GetProperty("title").GetString());
    }
}
