namespace Forecasting.Cli.Tests;

/// <summary>The CLI as users run it: exit codes, messages, and what lands in the store.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("forecasting-cli-").FullName;

    [Fact]
    public async Task TheDemoIngestsTrainsForecastsAndWritesTheReport()
    {
        var result = await CliProcess.RunAsync(_dir, null, "demo", "--out", "o");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.True(File.Exists(Path.Combine(_dir, "o", "report", "report.html")));
        Assert.True(File.Exists(Path.Combine(_dir, "o", "report", "report.md")));
        Assert.True(File.Exists(Path.Combine(_dir, "models", "global-tokens", "current.json")));
        var forecast = File.ReadAllLines(Path.Combine(_dir, "o", "forecast.csv"));
        Assert.Equal("series,origin,hour,actual,p10,p50,p90,model", forecast[0]);
        // 18 series (8 leaves, 4 projects, 5 models, the total) × 168 hours.
        Assert.Equal(18 * 168, forecast.Length - 1);
        Assert.Contains("Done in", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"served forecast MAE \d+ % of seasonal naive's", result.Out);

        var report = await CliProcess.RunAsync(_dir, null, "models", "list");
        Assert.Contains("v0001", report.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForecastWithoutATrainedModelIsAUserError()
    {
        File.WriteAllText(Path.Combine(_dir, "good.csv"), "hour,model,project,input_tokens,output_tokens,requests\n2026-01-05T13:00:00Z,gpt-4.1,tutor,5,1,1\n");
        await CliProcess.RunAsync(_dir, null, "ingest", "good.csv");

        var result = await CliProcess.RunAsync(_dir, null, "forecast");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("run 'forecasting train' first", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("ingest")]
    [InlineData("collect")]
    [InlineData("export")]
    [InlineData("status")]
    [InlineData("samples")]
    [InlineData("train")]
    [InlineData("backtest")]
    [InlineData("forecast")]
    [InlineData("report")]
    public async Task EveryCommandHasHelp(string command)
    {
        var result = await CliProcess.RunAsync(_dir, null, command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        Assert.Contains("--db", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadFileExitsWithOneNamesLineAndFieldAndStoresNothing()
    {
        File.WriteAllText(Path.Combine(_dir, "good.csv"), "hour,model,project,input_tokens,output_tokens,requests\n2026-01-05T13:00:00Z,gpt-4.1,tutor,5,1,1\n");
        File.WriteAllText(Path.Combine(_dir, "bad.csv"), "hour,model,project,input_tokens,output_tokens,requests\n2026-01-05T14:00:00Z,gpt-4.1,tutor,5,1,1\n2026-01-05T15:00:00Z,gpt-4.1,tutor,5,lots,1\n");

        var good = await CliProcess.RunAsync(_dir, null, "ingest", "good.csv", "--db", "u.db");
        var bad = await CliProcess.RunAsync(_dir, null, "ingest", "bad.csv", "--db", "u.db");
        var status = await CliProcess.RunAsync(_dir, null, "status", "--db", "u.db");

        Assert.Equal(0, good.ExitCode);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("bad.csv:3: output_tokens: 'lots' is not a non-negative integer", bad.Error, StringComparison.Ordinal);
        Assert.Contains("nothing stored", bad.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", bad.All, StringComparison.Ordinal);
        Assert.Matches(@"hourly rows\s*│\s*1\s", status.Out);
    }

    [Fact]
    public async Task SkipInvalidLoadsTheGoodRowsAndWritesRejects()
    {
        File.WriteAllText(Path.Combine(_dir, "mixed.csv"), "hour,model,project,input_tokens,output_tokens,requests\n2026-01-05T14:00:00Z,gpt-4.1,tutor,5,1,1\n2026-01-05T15:00:00Z,gpt-4.1,tutor,5,lots,1\n");

        var result = await CliProcess.RunAsync(_dir, null, "ingest", "mixed.csv", "--skip-invalid", "--db", "u.db");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1 hourly rows stored", result.Out, StringComparison.Ordinal);
        Assert.Contains("lots", File.ReadAllText(Path.Combine(_dir, "mixed.csv.rejects")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingFileIsAUserError()
    {
        var result = await CliProcess.RunAsync(_dir, null, "ingest", "nope.csv", "--db", "u.db");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nope.csv: no such file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CollectWithoutTheKeyVariableIsAUserErrorAndNeverAsksForTheKeyOnTheCommandLine()
    {
        var result = await CliProcess.RunAsync(_dir, new Dictionary<string, string> { ["MY_RELAY_KEY"] = "" },
            "collect", "--source", "relay", "--base-url", "http://127.0.0.1:9/v1", "--api-key-env", "MY_RELAY_KEY", "--db", "u.db");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("environment variable MY_RELAY_KEY is not set", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableSourceIsAFailureWithExitCodeTwoAndTheKeyStaysSecret()
    {
        const string key = "sk-live-should-never-print";
        var result = await CliProcess.RunAsync(_dir, new Dictionary<string, string> { ["RELAY_KEY"] = key },
            "collect", "--source", "openai", "--base-url", "http://127.0.0.1:9/v1", "--api-key-env", "RELAY_KEY", "--retries", "1",
            "--from", "2026-01-05T00:00:00Z", "--to", "2026-01-05T06:00:00Z", "--db", "u.db", "--verbose");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("gave up after 2 attempts", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(key, result.All, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllSourcesCollectsEachConfiguredSourceAndNamesTheOneThatFailed()
    {
        var hour = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        await using var relay = await Forecasting.Testing.FakeUsageServer.StartAsync(
            [.. Enumerable.Range(0, 6).Select(h => new Forecasting.Core.Usage.HourlyUsage
            {
                Hour = hour.AddHours(h), Model = "anthropic/claude-sonnet-4-5", Project = "team-b", InputTokens = 1000, OutputTokens = 200, Requests = 4,
            })]);
        var config = Path.Combine(_dir, "sources.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "sources": [
                { "name": "down", "base_url": "http://127.0.0.1:9/v1", "api_key_env": "RELAY_KEY" },
                { "name": "team-b", "base_url": "{{relay.BaseUrl}}", "api_key_env": "RELAY_KEY" }
              ]
            }
            """);

        var result = await CliProcess.RunAsync(_dir, new Dictionary<string, string> { ["RELAY_KEY"] = Forecasting.Testing.FakeUsageServer.Key },
            "collect", "--all-sources", "--retries", "1", "--from", "2026-11-20T00:00:00Z", "--to", "2026-11-20T06:00:00Z", "--db", "u.db", "--config", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("source down", result.All, StringComparison.Ordinal);
        Assert.Contains("failed: 1 of 2 sources: down", result.Error, StringComparison.Ordinal);
        Assert.Contains("collected 6 hourly rows over 6 hours from source team-b", result.Out, StringComparison.Ordinal);
        var export = await CliProcess.RunAsync(_dir, new Dictionary<string, string>(), "export", "--out", "x.csv", "--db", "u.db");
        Assert.Equal(0, export.ExitCode);
        var lines = await File.ReadAllLinesAsync(Path.Combine(_dir, "x.csv"));
        Assert.Equal(7, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Contains(",claude-sonnet-4.5,team-b,", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SamplesThenExportRoundTripsThroughTheStore()
    {
        var samples = await CliProcess.RunAsync(_dir, null, "samples", "--weeks", "1", "--out", "s.csv");
        var ingest = await CliProcess.RunAsync(_dir, null, "ingest", "s.csv", "--db", "u.db");
        var export = await CliProcess.RunAsync(_dir, null, "export", "--out", "e.csv", "--db", "u.db");

        Assert.Equal((0, 0, 0), (samples.ExitCode, ingest.ExitCode, export.ExitCode));
        // Same header, same rows; the export is ordered by hour, project, model.
        var generated = File.ReadAllLines(Path.Combine(_dir, "s.csv"));
        var exported = File.ReadAllLines(Path.Combine(_dir, "e.csv"));
        Assert.Equal(generated[0], exported[0]);
        Assert.Equal(generated.Skip(1).Order(StringComparer.Ordinal), exported.Skip(1).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnUnreachablePostgresIsAFailureWithoutAStackTrace()
    {
        var result = await CliProcess.RunAsync(_dir, null, "status", "--db", "Host=127.0.0.1;Port=9;Username=x;Password=hunter2;Database=y;Timeout=2");

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("hunter2", result.All, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CollectWithNoRetriesMakesOneAttemptAndFailsCleanly()
    {
        await using var relay = await Forecasting.Testing.FakeUsageServer.StartAsync(
            [new Forecasting.Core.Usage.HourlyUsage { Hour = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), Model = "gpt-4.1", Project = "tutor", InputTokens = 10, OutputTokens = 2, Requests = 1 }]);
        relay.Enqueue(Forecasting.Testing.FakeUsageServer.Fault.ServerError, Forecasting.Testing.FakeUsageServer.Fault.ServerError);

        var result = await CliProcess.RunAsync(_dir, new Dictionary<string, string> { ["RELAY_KEY"] = Forecasting.Testing.FakeUsageServer.Key },
            "collect", "--source", "relay", "--base-url", relay.BaseUrl.ToString(), "--api-key-env", "RELAY_KEY", "--retries", "0",
            "--from", "2026-11-20T00:00:00Z", "--to", "2026-11-20T01:00:00Z", "--db", "u.db");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(1, relay.Requests);
        Assert.Contains("failed:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--retries", "-1")]
    [InlineData("--retries", "21")]
    [InlineData("--timeout", "0")]
    public async Task CollectRetriesAndTimeoutAreBounded(string option, string value)
    {
        var result = await CliProcess.RunAsync(_dir, new Dictionary<string, string> { ["RELAY_KEY"] = "k" },
            "collect", "--source", "relay", "--base-url", "http://127.0.0.1:9/v1", "--api-key-env", "RELAY_KEY", option, value, "--db", "u.db");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{option} must be between", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("8761")]
    public async Task BacktestRefitHoursAreBounded(string value)
    {
        File.WriteAllText(Path.Combine(_dir, "good.csv"), "hour,model,project,input_tokens,output_tokens,requests\n2026-01-05T13:00:00Z,gpt-4.1,tutor,5,1,1\n");
        await CliProcess.RunAsync(_dir, null, "ingest", "good.csv");

        var result = await CliProcess.RunAsync(_dir, null, "backtest", "--refit-hours", value);

        Assert.True(result.ExitCode == 1, result.All);
        Assert.Contains($"--refit-hours must be between 0 and 8760, got {value}", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.All, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("train", """{"time_zones": {"projects": {"tutor": "America/New_Yrok"}}}""", "time_zones.projects.tutor: unknown time zone 'America/New_Yrok'")]
    [InlineData("backtest", """{"holidays": {"dates": ["2026-02-30"]}}""", "holidays.dates[0]: '2026-02-30' is not a date")]
    public async Task ABadCalendarSettingIsAUserErrorNamingTheFileAndKey(string command, string json, string expected)
    {
        var config = Path.Combine(_dir, "calendar.json");
        File.WriteAllText(config, json);
        File.WriteAllText(Path.Combine(_dir, "good.csv"), "hour,model,project,input_tokens,output_tokens,requests\n2026-01-05T13:00:00Z,gpt-4.1,tutor,5,1,1\n");
        await CliProcess.RunAsync(_dir, null, "ingest", "good.csv");

        var result = await CliProcess.RunAsync(_dir, null, command, "--config", config);

        Assert.True(result.ExitCode == 1, result.All);
        Assert.Contains($"{config}: {expected}", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.All, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
