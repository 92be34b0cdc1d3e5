using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Forecasting.Api.Tests.Support;

namespace Forecasting.Api.Tests;

/// <summary>
/// When a forecast stops being trustworthy: its data is old, it was made too long ago, or it ends before the hour
/// asked about; what autoscale, /health and /metrics say then. The seeded store's newest usage hour is the
/// forecast's origin; the forecast was generated 70 min after it and covers 24 hours.
/// </summary>
[Collection(SeededCollection.Name)]
public sealed partial class FreshnessTests(SeededService seeded)
{
    private DateTimeOffset Origin => seeded.Forecast.Origin;

    private static Dictionary<string, string?> Settings(double dataStaleAfterMinutes = 240, double staleAfterMinutes = 120, string? staleStatusCode = null) => new()
    {
        ["Forecasting:DataStaleAfterMinutes"] = dataStaleAfterMinutes.ToString(CultureInfo.InvariantCulture),
        ["Forecasting:StaleAfterMinutes"] = staleAfterMinutes.ToString(CultureInfo.InvariantCulture),
        ["Forecasting:StaleStatusCode"] = staleStatusCode,
    };

    [Fact]
    public async Task AForecastOfDataThatStoppedLongAgoIsStaleEvenWhenJustMade()
    {
        // The demo's case: data ends, a forecast is made from it later (here: just now); the forecast is new, its data is not.
        await using var host = await ApiHost.StartAsync(seeded, Origin.AddMinutes(241), settings: Settings(staleAfterMinutes: 100_000));

        var json = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/autoscale?series=*/*&lead=0"), HttpStatusCode.OK);

        Assert.True(json.GetProperty("stale").GetBoolean());
        Assert.Equal("data_old", json.GetProperty("stale_reason").GetString());
        Assert.Equal(Origin, json.GetProperty("data_last_hour").GetDateTimeOffset());
        Assert.Equal(seeded.HourOf(SeededService.Hours).AddHours(1), json.GetProperty("forecast_end").GetDateTimeOffset());
    }

    [Fact]
    public async Task DataJustInsideTheLimitIsFresh()
    {
        await using var host = await ApiHost.StartAsync(seeded, Origin.AddMinutes(239), settings: Settings(staleAfterMinutes: 100_000));

        var json = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/autoscale"), HttpStatusCode.OK);

        Assert.False(json.GetProperty("stale").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("stale_reason").ValueKind);
        Assert.Equal(Origin, json.GetProperty("data_last_hour").GetDateTimeOffset());
    }

    [Fact]
    public async Task AnOldForecastOfFreshEnoughDataIsForecastOld()
    {
        // 121 min after generation (191 min after the newest hour, inside the 240 min data limit).
        await using var host = await ApiHost.StartAsync(seeded, seeded.Forecast.GeneratedAt.AddMinutes(121), settings: Settings());

        var json = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/autoscale"), HttpStatusCode.OK);

        Assert.True(json.GetProperty("stale").GetBoolean());
        Assert.Equal("forecast_old", json.GetProperty("stale_reason").GetString());
    }

    [Fact]
    public async Task ALeadPastTheLastForecastHourIsBeyondHorizon()
    {
        // Now is origin + 90 min; the forecast ends at origin + 25 h, 1410 minutes later.
        await using var host = await ApiHost.StartAsync(seeded, Origin.AddMinutes(90), settings: Settings(dataStaleAfterMinutes: 0, staleAfterMinutes: 100_000));

        var inside = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/autoscale?lead=1409"), HttpStatusCode.OK);
        var beyond = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/autoscale?lead=1410"), HttpStatusCode.OK);

        Assert.False(inside.GetProperty("stale").GetBoolean());
        Assert.True(beyond.GetProperty("stale").GetBoolean());
        Assert.Equal("beyond_horizon", beyond.GetProperty("stale_reason").GetString());
        // Still the last hour's p90, so a caller that ignores stale gets the old behaviour.
        Assert.Equal(inside.GetProperty("recommended").GetProperty("value").GetDouble(), beyond.GetProperty("recommended").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task StaleFlipsAsTheFakeClockPassesTheDataLimitOnTheSameHost()
    {
        await using var host = await ApiHost.StartAsync(seeded, Origin.AddMinutes(200), settings: Settings(staleAfterMinutes: 100_000));

        var before = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/autoscale"), HttpStatusCode.OK);
        host.Clock.Advance(TimeSpan.FromMinutes(41));
        var after = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/autoscale"), HttpStatusCode.OK);

        Assert.False(before.GetProperty("stale").GetBoolean());
        Assert.Equal("data_old", after.GetProperty("stale_reason").GetString());
    }

    [Fact]
    public async Task WithStaleStatusCodeAStaleAnswerIsThatProblemAndAFreshOneIsStill200()
    {
        var settings = Settings(staleAfterMinutes: 100_000, staleStatusCode: "503");
        await using var stale = await ApiHost.StartAsync(seeded, Origin.AddMinutes(300), settings: settings);
        await using var fresh = await ApiHost.StartAsync(seeded, Origin.AddMinutes(100), settings: settings);

        var problem = await Json.ProblemAsync(await stale.Client.GetAsync("/api/v1/autoscale"), HttpStatusCode.ServiceUnavailable);
        using var ok = await fresh.Client.GetAsync("/api/v1/autoscale");

        Assert.Equal("Stale forecast", problem.GetProperty("title").GetString());
        Assert.Equal("data_old", problem.GetProperty("stale_reason").GetString());
        Assert.Equal(Origin, problem.GetProperty("data_last_hour").GetDateTimeOffset());
        Assert.False(problem.TryGetProperty("recommended", out _));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task HealthIsDegradedWithTheReasonWhenTheForecastIsStale()
    {
        await using var host = await ApiHost.StartAsync(seeded, Origin.AddDays(16), settings: Settings());

        var json = await Json.ReadAsync(await host.Client.GetAsync("/health"), HttpStatusCode.OK);

        Assert.Equal("degraded", json.GetProperty("status").GetString());
        Assert.Contains("data_old", json.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("384 h ago", json.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var forecast = json.GetProperty("forecast");
        Assert.True(forecast.GetProperty("stale").GetBoolean());
        Assert.Equal("data_old", forecast.GetProperty("stale_reason").GetString());
        Assert.Equal(Origin, forecast.GetProperty("data_last_hour").GetDateTimeOffset());
    }

    [Fact]
    public async Task HealthIsDegradedBeforeTheFirstForecast()
    {
        var empty = Path.Combine(seeded.Root, $"empty-{Guid.NewGuid():N}.db");
        await using var host = await ApiHost.StartAsync(seeded, Origin, db: empty);

        var json = await Json.ReadAsync(await host.Client.GetAsync("/health"), HttpStatusCode.OK);

        Assert.Equal("degraded", json.GetProperty("status").GetString());
        Assert.Contains("no stored forecast", json.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsHaveTheNewestDataHourTheForecastsAgeAndWhyItIsStale()
    {
        await using var host = await ApiHost.StartAsync(seeded, Origin.AddDays(16), settings: Settings());

        var text = await host.Client.GetStringAsync("/metrics");

        Assert.Equal(Origin.ToUnixTimeSeconds(), Value(text, "forecasting_data_last_hour_timestamp_seconds"));
        Assert.Equal((Origin.AddDays(16) - seeded.Forecast.GeneratedAt).TotalSeconds, Value(text, "forecasting_forecast_age_seconds{target=\"tokens\"}"));
        Assert.Equal(seeded.Forecast.GeneratedAt.ToUnixTimeSeconds(), Value(text, "forecasting_forecast_generated_timestamp_seconds{target=\"tokens\"}"));
        Assert.Equal(seeded.HourOf(SeededService.Hours).AddHours(1).ToUnixTimeSeconds(), Value(text, "forecasting_forecast_end_timestamp_seconds{target=\"tokens\"}"));
        Assert.Equal(1, Value(text, "forecasting_forecast_stale{target=\"tokens\"}"));
        Assert.Equal(1, Value(text, "forecasting_forecast_stale_reason{target=\"tokens\",reason=\"data_old\"}"));
        Assert.Equal(0, Value(text, "forecasting_forecast_stale_reason{target=\"tokens\",reason=\"forecast_old\"}"));
    }

    [Fact]
    public async Task MetricsOfAFreshForecastSayNotStale()
    {
        await using var host = await ApiHost.StartAsync(seeded, seeded.Forecast.GeneratedAt.AddMinutes(20), settings: Settings());

        var text = await host.Client.GetStringAsync("/metrics");

        Assert.Equal(0, Value(text, "forecasting_forecast_stale{target=\"tokens\"}"));
        Assert.Equal(0, Value(text, "forecasting_forecast_stale_reason{target=\"tokens\",reason=\"data_old\"}"));
    }

    [Fact]
    public async Task LeafSeriesOfTheNextHourAddUpToTheTotal()
    {
        await using var host = await ApiHost.StartAsync(seeded, seeded.Forecast.GeneratedAt.AddMinutes(20));

        var text = await host.Client.GetStringAsync("/metrics");

        var leaves = LeafP50().Matches(text).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, leaves.Count);
        // Forecast hour 2: tutor 1.2M + analytics 2M.
        Assert.Equal(3_200_000, leaves.Sum(), 6);
        Assert.Equal(3_200_000, Value(text, "forecasting_forecast_next_hour_tokens{project=\"*\",model=\"*\",level=\"rollup\",quantile=\"0.5\"}"));
    }

    private static double Value(string metrics, string series)
    {
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no sample {series} in\n{metrics}");
        return double.Parse(line![(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""^forecasting_forecast_next_hour_tokens\{[^}]*level="leaf",quantile="0.5"\} (\S+)$""", RegexOptions.Multiline)]
    private static partial Regex LeafP50();
}
