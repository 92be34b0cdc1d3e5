using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Forecasting.Deploy.Tests.Support;

namespace Forecasting.Deploy.Tests;

/// <summary>
/// deploy/grafana/forecasting-dashboard.json against a real Prometheus scraping the real service: the last three weeks
/// of data-samples/usage.csv, moved so that they end at the current hour, are ingested into SQLite, a model is trained
/// and a forecast stored by the CLI, and <c>forecasting serve</c> runs with an API key that Prometheus (the Debian
/// package's binary, installed when missing) sends as a bearer token, scraping every second. The newest hours are
/// ingested after the service has seen the forecast, as collection does, so that actual and forecast of the same hour
/// meet. Every panel's every query, with the template variables set to a project and model the service reports, must
/// answer success with at least one series.
/// </summary>
public sealed class GrafanaDashboardTests : IDisposable
{
    private const string ApiKey = "dashboard-test-key";
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("forecasting-dashboard-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [SkippableFact]
    public async Task EveryPanelQueryAnswersWithDataFromARealPrometheusScrapingTheRealService()
    {
        var prometheus = Tool.Require("prometheus", "prometheus");
        var dashboard = JsonNode.Parse(File.ReadAllText(Repo.Deploy("grafana", "forecasting-dashboard.json")))!;
        var queries = Queries(dashboard);
        Assert.True(queries.Count >= 20, $"{queries.Count} queries");

        // Usage up to two hours ago first; the last two hours (the last complete one and the current one) later.
        var now = DateTimeOffset.UtcNow;
        var currentHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var (older, newest) = SampleUsage(currentHour);
        File.WriteAllText(Path.Combine(_dir, "older.csv"), older);
        File.WriteAllText(Path.Combine(_dir, "newest.csv"), newest);
        string[] store = ["--db", Path.Combine(_dir, "usage.db"), "--models", Path.Combine(_dir, "models")];
        ChildProcess.Cli(["ingest", Path.Combine(_dir, "older.csv"), .. store]);
        ChildProcess.Cli(["train", "--horizon", "24", "--folds", "1", .. store]);
        ChildProcess.Cli(["forecast", "--horizon", "48", "--out", Path.Combine(_dir, "forecast.csv"), .. store]);

        var service = $"127.0.0.1:{ChildProcess.FreePort()}";
        using var serve = ChildProcess.Start(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "forecasting.dll"), "serve", "--urls", $"http://{service}", .. store, "--reports", Path.Combine(_dir, "report"),
                // The refresh job every 10 s, so that the jobs panel has runs to show.
                "--Forecasting:Schedule:RefreshCron=0/10 * * * * ?"],
            _dir,
            ("FORECASTING_DB", ""),
            ("FORECASTING_API_KEY", ApiKey),
            ("NO_COLOR", "1"));
        var api = $"http://127.0.0.1:{ChildProcess.FreePort()}";
        File.WriteAllText(Path.Combine(_dir, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: forecasting
                authorization:
                  type: Bearer
                  credentials_file: {Path.Combine(_dir, "api-key")}
                static_configs:
                  - targets: ["{service}"]
            """);
        File.WriteAllText(Path.Combine(_dir, "api-key"), ApiKey);
        using var server = ChildProcess.Start(
            prometheus,
            ["--config.file", Path.Combine(_dir, "prometheus.yml"), "--storage.tsdb.path", Path.Combine(_dir, "tsdb"), "--web.listen-address", api[7..]],
            _dir);

        try
        {
            // Scraped with the key, and the service has shown the stored forecast (its next hour per series).
            await UntilAsync(async () => (await QueryAsync(api, "up{job=\"forecasting\"} == 1")).Count == 1, "Prometheus scraping the service", serve, server);
            await UntilAsync(async () => (await QueryAsync(api, "forecasting_forecast_next_hour_tokens")).Count > 0, "the forecast gauges", serve, server);

            ChildProcess.Cli(["ingest", Path.Combine(_dir, "newest.csv"), .. store]);

            // A project and model the service reports for the last complete hour, as Grafana's variables offer them.
            JsonNode? leaf = null;
            await UntilAsync(async () => (leaf = (await QueryAsync(api, "forecasting_usage_hour_requests")).FirstOrDefault()) is not null, "the last complete hour's usage", serve, server);
            var project = leaf!["metric"]!["project"]!.GetValue<string>();
            var model = leaf["metric"]!["model"]!.GetValue<string>();

            var substituted = queries.Select(q => (q.Panel, Query: q.Expr.Replace("$project", Escape(project), StringComparison.Ordinal).Replace("$model", Escape(model), StringComparison.Ordinal)
                .Replace("$__rate_interval", "1m", StringComparison.Ordinal))).ToList();
            Assert.All(substituted, q => Assert.DoesNotContain("$", q.Query, StringComparison.Ordinal));
            // Gauges refresh on their own clocks (the newest hour within 30 s, the last complete hour within 60 s): ask
            // until every query has a series, or the time is up.
            var empty = substituted;
            var deadline = DateTime.UtcNow + Within;
            while (empty.Count > 0 && DateTime.UtcNow < deadline)
            {
                Assert.False(serve.HasExited, $"serve exited: {serve.Output}");
                // Traffic, as KEDA's polls and the probes make it (the HTTP panels count every route but /metrics).
                await TrafficAsync($"http://{service}");
                var still = new List<(string Panel, string Query)>();
                foreach (var q in empty)
                {
                    if ((await QueryAsync(api, q.Query)).Count == 0)
                    {
                        still.Add(q);
                    }
                }

                empty = still;
                if (empty.Count > 0)
                {
                    await Task.Delay(1000);
                }
            }

            Assert.True(empty.Count == 0, $"queries with no series (project {project}, model {model}):\n{string.Join('\n', empty.Select(q => $"{q.Panel}: {q.Query}"))}");

            // The check can fail: a misspelled metric, or another project, answers success with nothing.
            Assert.Empty(await QueryAsync(api, "forecasting_forecast_next_hour_tokenz"));
            Assert.Empty(await QueryAsync(api, "forecasting_usage_hour_requests{project=\"no-such-project\"}"));
        }
        finally
        {
            server.Dispose();
            serve.Dispose();
        }
    }

    [Fact]
    public void TheDashboardUsesADatasourceVariableAndProjectAndModelVariables()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Repo.Deploy("grafana", "forecasting-dashboard.json")))!;
        var variables = dashboard["templating"]!["list"]!.AsArray().ToDictionary(v => v!["name"]!.GetValue<string>(), v => v!);

        Assert.Equal("datasource", variables["datasource"]["type"]!.GetValue<string>());
        Assert.Equal("query", variables["project"]["type"]!.GetValue<string>());
        Assert.Equal("query", variables["model"]["type"]!.GetValue<string>());
        var panels = dashboard["panels"]!.AsArray().Where(p => p!["type"]!.GetValue<string>() != "row").ToList();
        Assert.All(panels, p => Assert.Equal("${datasource}", p!["datasource"]!["uid"]!.GetValue<string>()));
        Assert.Equal(panels.Count, panels.Select(p => p!["id"]!.GetValue<int>()).Distinct().Count());
        // The usage panels follow the project and model variables.
        Assert.True(Queries(dashboard).Count(q => q.Expr.Contains("project=~\"$project\", model=~\"$model\"", StringComparison.Ordinal)) >= 6);
    }

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static List<(string Panel, string Expr)> Queries(JsonNode dashboard) =>
        [.. dashboard["panels"]!.AsArray()
            .SelectMany(p => (p!["targets"]?.AsArray() ?? []).Select(t => (p["title"]!.GetValue<string>(), t!["expr"]!.GetValue<string>())))];

    /// <summary>A value inside a PromQL regex matcher: regex metacharacters (the model names' dots) escaped.</summary>
    private static string Escape(string value) => System.Text.RegularExpressions.Regex.Escape(value).Replace("\\", "\\\\", StringComparison.Ordinal);

    /// <summary>
    /// The last 21 days of data-samples/usage.csv, every hour moved by the same whole number of hours so that the newest
    /// one is the current hour: the rows before the last complete hour, and the rows of the last two hours.
    /// </summary>
    private static (string Older, string Newest) SampleUsage(DateTimeOffset currentHour)
    {
        var lines = File.ReadAllLines(Path.Combine(Repo.Root, "data-samples", "usage.csv"));
        var header = lines[0].Split(',');
        var hourColumn = Array.IndexOf(header, "hour");
        var rows = lines.Skip(1).Select(l => l.Split(',')).Select(f => (Hour: DateTimeOffset.Parse(f[hourColumn], CultureInfo.InvariantCulture), Fields: f)).ToList();
        var shift = currentHour - rows.Max(r => r.Hour);
        var older = new StringBuilder().AppendLine(lines[0]);
        var newest = new StringBuilder().AppendLine(lines[0]);
        foreach (var (hour, fields) in rows)
        {
            var moved = hour + shift;
            if (moved < currentHour.AddDays(-21))
            {
                continue;
            }

            fields[hourColumn] = moved.ToString("yyyy-MM-dd'T'HH':00:00Z'", CultureInfo.InvariantCulture);
            (moved >= currentHour.AddHours(-1) ? newest : older).AppendLine(string.Join(',', fields));
        }

        return (older.ToString(), newest.ToString());
    }

    private async Task TrafficAsync(string service)
    {
        using var live = await _http.GetAsync($"{service}/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{service}/api/v1/autoscale?series=*/*&lead=15");
        request.Headers.Add("X-API-KEY", ApiKey);
        using var autoscale = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, autoscale.StatusCode);
    }

    private async Task<List<JsonNode>> QueryAsync(string api, string query)
    {
        using var answer = await _http.GetAsync($"{api}/api/v1/query?query={Uri.EscapeDataString(query)}");
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{query}: {(int)answer.StatusCode} {body}");
        var json = JsonNode.Parse(body)!;
        Assert.Equal("success", json["status"]!.GetValue<string>());
        var data = json["data"]!;
        return data["resultType"]!.GetValue<string>() is "vector" or "matrix"
            ? [.. data["result"]!.AsArray().Select(r => r!)]
            : [data["result"]!];
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, ChildProcess serve, ChildProcess prometheus, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Within);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(serve.HasExited, $"serve exited: {serve.Output}");
            Assert.False(prometheus.HasExited, $"prometheus exited: {prometheus.Output}");
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Prometheus is not listening yet.
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"timed out waiting for {what}");
    }
}
