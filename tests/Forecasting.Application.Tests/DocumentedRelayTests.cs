using System.Globalization;
using System.Text.Json;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;
using Forecasting.ML.Registry;
using Forecasting.Testing;
using Microsoft.AspNetCore.Http;

namespace Forecasting.Application.Tests;

/// <summary>
/// A stand-in relay answering exactly as the relay's tutorials show: <c>POST</c> or <c>GET {base}/usage</c> with
/// <c>start_date</c>/<c>end_date</c> as <c>YYYY-MM-DD</c>, entries with offset-less timestamps, the models as the
/// relay spells them, no project and no request counts; collected into a real SQLite store.
/// </summary>
public sealed class DocumentedRelayTests : IAsyncLifetime
{
    private const string KeyVariable = "FORECASTING_TEST_DOCUMENTED_RELAY_KEY";
    private const string WrongKeyVariable = "FORECASTING_TEST_DOCUMENTED_RELAY_WRONG_KEY";
    private static readonly DateTimeOffset From = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddHours(48);

    private readonly string _root = Directory.CreateTempSubdirectory("forecasting-relay-").FullName;
    private readonly List<string> _asked = [];
    private FakeUsageServer _server = null!;
    private IUsageStore _store = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(KeyVariable, FakeUsageServer.Key);
        Environment.SetEnvironmentVariable(WrongKeyVariable, "sk-not-the-key");
        _server = await FakeUsageServer.StartAsync([]);
        _server.Answer = AnswerAsDocumentedAsync;
        _store = await UsageStore.OpenAndMigrateAsync(Path.Combine(_root, "usage.db"), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task TwoAccountsSpeakingTheDocumentedShapesEndInPricedCanonicalSeriesOnePerAccount()
    {
        var settings = Settings(
            new SourceSettings { Name = "team-a", BaseUrl = _server.BaseUrl.ToString(), ApiKeyEnv = KeyVariable, Project = "team-a", AssumeUtc = true },
            new SourceSettings { Name = "team-b", BaseUrl = _server.BaseUrl.ToString(), ApiKeyEnv = KeyVariable, Project = "team-b", Method = "GET", AssumeUtc = true });
        var status = new SourceStatus();
        using var http = new HttpClient();

        var results = await new CollectUseCase(Workspace(settings), status).RunSourcesAsync(null, From, To, http, CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        // Date-only windows, the last day inclusive, POST for one account and GET for the other.
        Assert.Equal(["POST 2026-11-20 2026-11-21 hourly", "GET 2026-11-20 2026-11-21 hourly"], _asked);
        var rows = await ReadAllAsync();
        Assert.Equal(48 * 3 * 2, rows.Count);
        Assert.Equal(["claude-sonnet-4.5", "deepseek-chat-v3-0324", "deepseek-v3.2"], rows.Select(r => r.Model).Distinct().Order(StringComparer.Ordinal));
        // deepseek-chat and deepseek-v3.2 are one model: their entries of an hour are summed under its canonical name.
        var deepseek = rows.Single(r => r.Project == "team-a" && r.Model == "deepseek-v3.2" && r.Hour == From.AddHours(5));
        Assert.Equal((1200, 400), (deepseek.InputTokens, deepseek.OutputTokens));
        // Offset-less timestamps taken as UTC (the source says so): 48 hours from 20 Nov 00:00 UTC.
        Assert.Equal(From, rows.Min(r => r.Hour));
        Assert.Equal(To.AddHours(-1), rows.Max(r => r.Hour));

        var prices = settings.PriceTable;
        var leaves = SeriesBuilder.Build(rows, ForecastTarget.Tokens, prices).Where(s => s.Key.IsLeaf).Select(s => s.Key.ToString()).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["team-a/claude-sonnet-4.5", "team-a/deepseek-chat-v3-0324", "team-a/deepseek-v3.2", "team-b/claude-sonnet-4.5", "team-b/deepseek-chat-v3-0324", "team-b/deepseek-v3.2"],
            leaves);
        // History in USD uses the reported cost where the table has no price.
        var costHistory = SeriesBuilder.Build(rows, ForecastTarget.Cost, prices).Single(s => s.Key.ToString() == "team-b/deepseek-chat-v3-0324");
        Assert.Equal(48 * 0.002, costHistory.Values.Sum(), 9);

        var plan = new Planner(settings).Build(FlatForecast(rows, prices));
        Assert.True(plan.Costs.Single(c => c.Series == "team-a/claude-sonnet-4.5") is { Known: true, FromReportedCost: false });
        Assert.Equal(prices.Cost(rows.First(r => r.Model == "claude-sonnet-4.5" && r.Project == "team-a"))!.Value / 1200 * 1e6,
            plan.Costs.Single(c => c.Series == "team-a/claude-sonnet-4.5").UsdPerMillion!.Value, 9);
        var reported = plan.Costs.Single(c => c.Series == "team-a/deepseek-chat-v3-0324");
        Assert.True(reported is { Known: true, FromReportedCost: true });
        Assert.Equal(0.001 / 4000 * 1e6, reported.UsdPerMillion!.Value, 9);
        var total = plan.Summaries.Single(s => s.Series.ToString() == "*/*");
        Assert.NotNull(total.NextWeekCostUsd);
        Assert.True(plan.Costs.Single(c => c.Series == "*/*").FromReportedCost);
        Assert.Contains(plan.Warnings, w => w.Contains("'deepseek-chat-v3-0324'", StringComparison.Ordinal) && w.Contains("from reported cost", StringComparison.Ordinal));
        // Reported and table cost agree for the priced models: no mismatch warning.
        Assert.DoesNotContain(plan.Warnings, w => w.Contains("out of date", StringComparison.Ordinal));
        Assert.Contains(plan.Recommendations, r => r.Kind == RecommendationKind.RateLimit && r.Title.Contains("no request counts", StringComparison.Ordinal));
        Assert.All(status.All, s => Assert.False(s.Failing));
        Assert.Equal(["team-a", "team-b"], status.All.Select(s => s.Name));
    }

    [Fact]
    public async Task AFailingSourceIsNamedAndTheOtherIsCollectedCompletely()
    {
        var settings = Settings(
            new SourceSettings { Name = "broken", BaseUrl = _server.BaseUrl.ToString(), ApiKeyEnv = WrongKeyVariable, Project = "broken", AssumeUtc = true },
            new SourceSettings { Name = "team-b", BaseUrl = _server.BaseUrl.ToString(), ApiKeyEnv = KeyVariable, Project = "team-b", Method = "GET", AssumeUtc = true });
        var status = new SourceStatus();
        using var http = new HttpClient();

        var results = await new CollectUseCase(Workspace(settings), status).RunSourcesAsync(null, From, To, http, CancellationToken.None);

        Assert.Equal(["broken", "team-b"], results.Select(r => r.Name));
        Assert.False(results[0].Succeeded);
        Assert.Contains("401", results[0].Error, StringComparison.Ordinal);
        Assert.Equal(48 * 3, results[1].Outcome!.RowsStored);
        var rows = await ReadAllAsync();
        Assert.Equal(48 * 3, rows.Count);
        Assert.All(rows, r => Assert.Equal("team-b", r.Project));
        Assert.True(status.Get("broken")!.Failing);
        Assert.NotNull(status.Get("broken")!.LastError);
        Assert.False(status.Get("team-b")!.Failing);
    }

    [Fact]
    public async Task OffsetLessTimestampsAreRefusedWithTheReasonUnlessTheSourceSaysUtc()
    {
        var settings = Settings(new SourceSettings { Name = "strict", BaseUrl = _server.BaseUrl.ToString(), ApiKeyEnv = KeyVariable, Project = "strict" });
        using var http = new HttpClient();

        var results = await new CollectUseCase(Workspace(settings)).RunSourcesAsync(["strict"], From, To, http, CancellationToken.None);

        Assert.False(results.Single().Succeeded);
        Assert.Contains("has no offset", results.Single().Error, StringComparison.Ordinal);
        Assert.Contains("assume_utc", results.Single().Error, StringComparison.Ordinal);
        Assert.Empty(await ReadAllAsync());
    }

    [Fact]
    public async Task TimestampRequestsAskWithFullTimes()
    {
        var settings = Settings(new SourceSettings { Name = "ts", BaseUrl = _server.BaseUrl.ToString(), ApiKeyEnv = KeyVariable, RequestDates = "timestamp", AssumeUtc = true });
        using var http = new HttpClient();

        var results = await new CollectUseCase(Workspace(settings)).RunSourcesAsync(["ts"], From, To, http, CancellationToken.None);

        // The stand-in speaks dates only, as documented, and refuses full timestamps.
        Assert.False(results.Single().Succeeded);
        Assert.Equal(["POST 2026-11-20T00:00:00Z 2026-11-22T00:00:00Z hourly"], _asked);
    }

    [Fact]
    public async Task TheRefreshCollectsEveryConfiguredSourceAndSkipsTheForecastWithoutAChampion()
    {
        var settings = Settings(
            new SourceSettings { Name = "team-a", BaseUrl = _server.BaseUrl.ToString(), ApiKeyEnv = KeyVariable, Project = "team-a", AssumeUtc = true },
            new SourceSettings { Name = "strict", BaseUrl = _server.BaseUrl.ToString(), ApiKeyEnv = WrongKeyVariable, Project = "strict", AssumeUtc = true });
        var workspace = Workspace(settings) with { Time = new FixedTime(To) };
        using var http = new HttpClient();

        var refreshed = await workspace.Get<RefreshUseCase>().RunAsync(new RefreshRequest(ForecastTarget.Tokens, 48), http, CancellationToken.None);

        // No single source configured; each configured one in turn, the last 48 hours up to now, a failing one named.
        Assert.Null(refreshed.Collected);
        Assert.Equal(["team-a", "strict"], refreshed.Sources.Select(s => s.Name));
        Assert.True(refreshed.Sources[0].Succeeded, refreshed.Sources[0].Error);
        Assert.False(refreshed.Sources[1].Succeeded);
        Assert.Equal(From, (await _store.SummarizeAsync(CancellationToken.None)).FirstHour);
        // No champion yet: nothing to forecast from, and nothing stored.
        Assert.Null(refreshed.Forecast);
        Assert.Null(await _store.LatestForecastAsync(ForecastTarget.Tokens, CancellationToken.None));
    }

    private static PlanningSettings Settings(params SourceSettings[] sources) => new()
    {
        Sources = [.. sources],
        RateLimitsRpm = new() { ["claude-sonnet-4.5"] = 50 },
    };

    private Workspace Workspace(PlanningSettings settings) =>
        new(_store, new ModelRegistry(Path.Combine(_root, "models")), settings, TimeProvider.System);

    private async Task<List<HourlyUsage>> ReadAllAsync()
    {
        var rows = new List<HourlyUsage>();
        await foreach (var row in _store.ReadAsync(UsageQuery.All, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>A forecast of every series at its mean tokens per hour, for the planner.</summary>
    private static PlanInput FlatForecast(List<HourlyUsage> rows, Core.Pricing.PriceTable prices)
    {
        var series = SeriesBuilder.Build(rows, ForecastTarget.Tokens, prices);
        var origin = rows.Max(r => r.Hour);
        var run = new ForecastRun(ForecastTarget.Tokens, "v0001", origin, origin, 168, [.. series.Select(s =>
        {
            var mean = s.Values.Where(v => !double.IsNaN(v)).Average();
            return new SeriesForecast(s.Key, "flat", [.. Enumerable.Range(1, 168).Select(h => new ForecastPoint(origin.AddHours(h), 0.9 * mean, mean, 1.1 * mean))]);
        })]);
        return new PlanInput(run, series, rows, [], new ModelHealth("v0001", origin, 0.8, 0.8), origin);
    }

    private async Task AnswerAsDocumentedAsync(HttpContext context)
    {
        var get = HttpMethods.IsGet(context.Request.Method);
        string? start, end, granularity;
        if (get)
        {
            (start, end, granularity) = (context.Request.Query["start_date"], context.Request.Query["end_date"], context.Request.Query["granularity"]);
        }
        else
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            (start, end, granularity) = (body.RootElement.GetProperty("start_date").GetString(), body.RootElement.GetProperty("end_date").GetString(), body.RootElement.GetProperty("granularity").GetString());
        }

        lock (_asked)
        {
            _asked.Add($"{context.Request.Method} {start} {end} {granularity}");
        }

        if (!DateOnly.TryParseExact(start, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            || !DateOnly.TryParseExact(end, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var last) || granularity != "hourly")
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("{\"error\":\"start_date and end_date must be YYYY-MM-DD\"}");
            return;
        }

        // The second account (asked with GET here) has twice the traffic.
        var scale = get ? 2 : 1;
        var usage = new List<object>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            for (var hour = 0; hour < 24; hour++)
            {
                var at = $"{day:yyyy-MM-dd}T{hour:00}";
                usage.Add(new { timestamp = at + ":00:00", model = "claude-sonnet-4-5", input_tokens = 1000 * scale, output_tokens = 200 * scale, total_tokens = 1200 * scale, latency_ms = 900.0, cost_usd = 0.006 * scale });
                usage.Add(new { timestamp = at + ":10:00", model = "deepseek-chat", input_tokens = 500 * scale, output_tokens = 100 * scale, total_tokens = 600 * scale, latency_ms = 700.0, cost_usd = 0.000182 * scale });
                usage.Add(new { timestamp = at + ":40:00", model = "deepseek-v3.2", input_tokens = 700 * scale, output_tokens = 300 * scale, total_tokens = 1000 * scale, latency_ms = 650.0, cost_usd = 0.000322 * scale });
                usage.Add(new { timestamp = at + ":20:00", model = "deepseek/deepseek-chat-v3-0324", input_tokens = 3000 * scale, output_tokens = 1000 * scale, total_tokens = 4000 * scale, latency_ms = 1200.0, cost_usd = 0.001 * scale });
            }
        }

        await context.Response.WriteAsJsonAsync(new { usage });
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
