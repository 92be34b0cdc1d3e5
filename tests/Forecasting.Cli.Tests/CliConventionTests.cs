using System.Net;
using System.Text.Json;

namespace Forecasting.Cli.Tests;

/// <summary>
/// The CLI's conventions for scripts: --json summaries alone on standard output, spinners and logs on standard error,
/// the real version, and serve's configuration overrides.
/// </summary>
public sealed class CliConventionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("forecasting-cli-json-").FullName;

    [Fact]
    public async Task VersionIsTheProductVersionWithoutTheCommit()
    {
        var result = await CliProcess.RunAsync(_dir, null, "--version");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(Repo.Version, result.Out.Trim());
        Assert.DoesNotContain('+', result.Out);
    }

    [Fact]
    public async Task StatusJsonIsOneObjectOnStandardOutput()
    {
        await RunOkAsync("samples", "--out", "usage.csv", "--weeks", "1");
        await RunOkAsync("ingest", "usage.csv");

        var status = await JsonAsync("status", "--json");

        Assert.True(status.GetProperty("rows").GetInt64() > 100);
        Assert.True(status.GetProperty("schema_version").GetInt32() >= 1);
        Assert.True(status.GetProperty("models").GetInt32() >= 2);
        Assert.True(status.GetProperty("input_tokens").GetInt64() > 0);
        Assert.True(status.GetProperty("last_hour").GetDateTimeOffset() > status.GetProperty("first_hour").GetDateTimeOffset());
    }

    [Fact]
    public async Task TrainModelsForecastAndBacktestSpeakJsonWithNothingElseOnStandardOutput()
    {
        await RunOkAsync("samples", "--out", "usage.csv", "--weeks", "3");
        await RunOkAsync("ingest", "usage.csv");

        var train = await JsonAsync("train", "--json", "--folds", "1", "--horizon", "24");
        Assert.Equal("tokens", train.GetProperty("target").GetString());
        Assert.Equal("v0001", train.GetProperty("version").GetString());
        // The first version has no champion to lose to; promoted is a boolean either way.
        Assert.True(train.GetProperty("promoted").GetBoolean(), train.ToString());
        Assert.Contains(train.GetProperty("scores").EnumerateArray(), s => s.GetProperty("model").GetString() == "served");

        var models = await JsonAsync("models", "list", "--json");
        Assert.Equal("v0001", models.GetProperty("champion").GetString());
        var version = Assert.Single(models.GetProperty("versions").EnumerateArray());
        Assert.True(version.GetProperty("champion").GetBoolean());

        var forecast = await JsonAsync("forecast", "--json", "--horizon", "24", "--out", "f.csv");
        Assert.Equal(24, forecast.GetProperty("hours").GetInt32());
        Assert.Equal("v0001", forecast.GetProperty("model_version").GetString());
        Assert.True(forecast.GetProperty("series").GetInt32() > 1);
        Assert.Equal(Path.Combine(_dir, "f.csv"), forecast.GetProperty("out").GetString());
        Assert.True(File.Exists(Path.Combine(_dir, "f.csv")));

        var backtest = await JsonAsync("backtest", "--json", "--folds", "1", "--horizon", "24");
        Assert.Equal(1, backtest.GetProperty("folds").GetInt32());
        Assert.True(backtest.GetProperty("served_forecasts").GetInt32() > 0);
        var served = backtest.GetProperty("scores").EnumerateArray().Single(s => s.GetProperty("model").GetString() == "served");
        Assert.InRange(served.GetProperty("p90_above_history_max").GetDouble(), 0, 1);
        Assert.Equal(JsonValueKind.Null, backtest.GetProperty("out").ValueKind);
    }

    [Fact]
    public async Task WithoutJsonTheTablesStayOnStandardOutput()
    {
        await RunOkAsync("samples", "--out", "usage.csv", "--weeks", "1");
        await RunOkAsync("ingest", "usage.csv");

        var status = await RunOkAsync("status");

        Assert.Contains("hourly rows", status.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("hourly rows", status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServePassesConfigurationKeysToTheHost()
    {
        var bad = await CliProcess.RunAsync(_dir, new Dictionary<string, string> { ["FORECASTING_API_KEY"] = "" }, "serve", "--urls", "http://127.0.0.1:0", "--Forecasting:Target=bogus");

        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("Forecasting:Target must be tokens, requests or cost", bad.All, StringComparison.Ordinal);

        var stray = await CliProcess.RunAsync(_dir, null, "serve", "stray-word");
        Assert.Equal(1, stray.ExitCode);
        Assert.Contains("unexpected argument 'stray-word'", stray.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeConfigurationOverridesWinOverTheCommandsOwnSettings()
    {
        // serve's own --db names an empty store; --Forecasting:Db names the one with usage. The override must win: the
        // service reports the second store's newest hour and never opens the first.
        await RunOkAsync("samples", "--out", "usage.csv", "--weeks", "1");
        var used = Path.Combine(_dir, "used.db");
        await RunOkAsync("ingest", "usage.csv", "--db", used);
        var lastHour = (await JsonAsync("status", "--json", "--db", used)).GetProperty("last_hour").GetDateTimeOffset();
        var ignored = Path.Combine(_dir, "ignored.db");

        // With a key set, /metrics needs it unless Forecasting:PublicMetrics says otherwise: that override must reach the host too.
        using var node = ServeNode.Start(_dir, ignored, new Dictionary<string, string> { ["FORECASTING_API_KEY"] = "k" }, $"--Forecasting:Db={used}", "--Forecasting:PublicMetrics=true", "--Forecasting:Schedule:Enabled", "false");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? metrics = null;
        while (metrics is null && DateTime.UtcNow < deadline)
        {
            try
            {
                using var answer = await http.GetAsync(node.Url + "/metrics");
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                metrics = await answer.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException)
            {
                await Task.Delay(250);
            }
        }

        Assert.NotNull(metrics);
        var reported = metrics.Split('\n').Single(l => l.StartsWith("forecasting_data_last_hour_timestamp_seconds ", StringComparison.Ordinal));
        Assert.Equal(lastHour.ToUnixTimeSeconds(), double.Parse(reported.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(File.Exists(ignored), "serve opened its own --db although --Forecasting:Db overrode it");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(node.Url + "/health")).StatusCode);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<CliProcess.Result> RunOkAsync(params string[] args)
    {
        var result = await CliProcess.RunAsync(_dir, null, args);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: {result.All}");
        return result;
    }

    /// <summary>Runs the command and parses its whole standard output as one JSON object.</summary>
    private async Task<JsonElement> JsonAsync(params string[] args)
    {
        var result = await RunOkAsync(args);
        try
        {
            using var document = JsonDocument.Parse(result.Out);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"{string.Join(' ', args)}: standard output is not one JSON object ({e.Message}):\n{result.Out}");
        }
    }
}
