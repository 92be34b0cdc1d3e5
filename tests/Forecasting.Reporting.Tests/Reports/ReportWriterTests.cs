using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Forecasting.Reporting.Reports;

namespace Forecasting.Reporting.Tests.Reports;

public sealed class ReportWriterTests : IDisposable
{
    private static readonly DateTimeOffset Origin = new(2026, 11, 15, 23, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("forecasting-report-").FullName;

    [Fact]
    public void TheHtmlIsSelfContainedAndTheMarkdownPointsAtChartsBesideIt()
    {
        var input = Input();
        var files = ReportWriter.Write(input, Path.Combine(_dir, "report"));

        var html = File.ReadAllText(files.Html);
        var markdown = File.ReadAllText(files.Markdown);
        // Forecasts of the total and of both leaves, daily cost by model, the backtest, the weekly heatmap.
        Assert.Equal(6, files.Charts.Count);
        Assert.All(files.Charts, c => Assert.True(new FileInfo(c).Length > 10_000, c));
        Assert.Equal(files.Charts.Count, html.Split("src=\"data:image/png;base64,").Length - 1);
        Assert.DoesNotContain("src=\"charts/", html, StringComparison.Ordinal);
        foreach (var chart in files.Charts)
        {
            Assert.Contains($"(charts/{Path.GetFileName(chart)})", markdown, StringComparison.Ordinal);
        }

        foreach (var section in new[] { "Summary", "Recommendations", "Next 7 days per series", "Accuracy", "Model versions" })
        {
            Assert.Contains("## " + section, markdown, StringComparison.Ordinal);
            Assert.Contains("<h2>" + section, html, StringComparison.Ordinal);
        }

        // Every recommendation reaches both documents, the budget one among them.
        Assert.Contains(input.Plan.Recommendations, r => r.Kind == RecommendationKind.Budget && r.Subject == "tutor");
        Assert.All(input.Plan.Recommendations, r =>
        {
            Assert.Contains(ReportWriter.MarkdownText(r.Title), markdown, StringComparison.Ordinal);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(r.Title), html, StringComparison.Ordinal);
        });
        Assert.Contains("<strong>served</strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReportSaysWhichRegimeTheVersionIsInAndEachSeriesHistory()
    {
        var young = ReportWriter.Write(Input() with { TrainedHistoryHours = 336 }, Path.Combine(_dir, "young"));
        var grown = ReportWriter.Write(Input() with { TrainedHistoryHours = 16 * 168 }, Path.Combine(_dir, "grown"));
        var unknown = ReportWriter.Write(Input(), Path.Combine(_dir, "unknown"));

        var youngText = File.ReadAllText(young.Markdown);
        Assert.Contains("Young data: the version was trained on 14 d of history (under 3 weeks)", youngText, StringComparison.Ordinal);
        Assert.Contains("Young data: the version was trained on 14 d", File.ReadAllText(young.Html), StringComparison.Ordinal);
        Assert.Contains("Trained on 16 w of history: daily and weekly cycles.", File.ReadAllText(grown.Markdown), StringComparison.Ordinal);
        Assert.DoesNotContain("Young data", File.ReadAllText(grown.Markdown), StringComparison.Ordinal);
        Assert.DoesNotContain("of history", File.ReadAllText(unknown.Markdown), StringComparison.Ordinal);
        // Every series row names its history: the input's series have 28 days (4 weeks).
        var rows = youngText.Split('\n').SkipWhile(l => !l.StartsWith("## Next 7 days per series", StringComparison.Ordinal)).Skip(4).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("4 w", r.Split('|')[3].Trim()));
    }

    [Fact]
    public void ServiceQualityNamesTheSlowestAndLeastReliableModelsWithTrendsAndAChart()
    {
        var days = new List<ServiceQualityDay>();
        for (var d = 0; d < 14; d++)
        {
            var day = DateOnly.FromDateTime(Origin.UtcDateTime).AddDays(d - 13);
            // gpt-4.1 gets slower: p95 1,000 ms the first week, 1,500 ms the second; deepseek fails 5 % of its requests.
            days.Add(new ServiceQualityDay("gpt-4.1", day, 1000, 600, d < 7 ? 1000 : 1500, 0.01));
            days.Add(new ServiceQualityDay("deepseek-v3.2", day, 1000, 300, 800, 0.05));
        }

        var files = ReportWriter.Write(Input() with { ServiceQuality = days }, Path.Combine(_dir, "report"));
        var markdown = File.ReadAllText(files.Markdown);
        var html = File.ReadAllText(files.Html);

        Assert.Contains("## Service quality", markdown, StringComparison.Ordinal);
        Assert.Contains("<h2>Service quality", html, StringComparison.Ordinal);
        var lines = markdown.Split('\n');
        Assert.Equal("| gpt-4.1 | 14,000 | 600 | 1,250 | +50.0% | 1.00 % | 0.0% |", lines.Single(l => l.StartsWith("| gpt-4.1 | 14,000", StringComparison.Ordinal)));
        Assert.Equal("| deepseek-v3.2 | 14,000 | 300 | 800 | 0.0% | 5.00 % | 0.0% |", lines.Single(l => l.StartsWith("| deepseek-v3.2 | 14,000", StringComparison.Ordinal)));
        Assert.Contains("Slowest model: **gpt-4.1**, latency p95 1,250 ms", markdown, StringComparison.Ordinal);
        Assert.Contains("Least reliable model: **deepseek-v3.2**, error rate 5.00 %", markdown, StringComparison.Ordinal);
        var chart = Assert.Single(files.Charts, c => Path.GetFileName(c) == "service-quality.png");
        Assert.True(new FileInfo(chart).Length > 10_000);
    }

    [Fact]
    public void WithoutLatencyOrErrorsTheServiceQualitySectionSaysSoAndDrawsNoChart()
    {
        var files = ReportWriter.Write(Input(), Path.Combine(_dir, "report"));

        Assert.Contains("The stored usage reports no latency or errors.", File.ReadAllText(files.Markdown), StringComparison.Ordinal);
        Assert.DoesNotContain(files.Charts, c => Path.GetFileName(c) == "service-quality.png");
    }

    [Fact]
    public void WritingAgainReplacesTheReportAndLeavesNoTemporaryFolders()
    {
        var folder = Path.Combine(_dir, "report");
        ReportWriter.Write(Input(), folder);
        File.WriteAllText(Path.Combine(folder, "stale.txt"), "from an older report");

        ReportWriter.Write(Input(), folder);

        Assert.False(File.Exists(Path.Combine(folder, "stale.txt")));
        Assert.Equal(["report"], Directory.GetDirectories(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void AWriteKilledBetweenItsRenamesIsRecoveredByTheNext()
    {
        // The state a SIGKILL leaves after "report → report.old-*" and before "staging → report":
        // no report in place, the replaced one beside it, and a staging folder.
        var folder = Path.Combine(_dir, "report");
        ReportWriter.Write(Input(), folder);
        Directory.Move(folder, folder + ".old-0123");
        Directory.CreateDirectory(Path.Combine(folder + ".tmp-4567", "charts"));
        File.WriteAllText(Path.Combine(folder + ".tmp-4567", "report.md"), "# half");

        var files = ReportWriter.Write(Input(), folder);

        Assert.True(File.Exists(files.Html));
        Assert.Equal(["report"], Directory.GetDirectories(_dir).Select(Path.GetFileName));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void NamesAreEscapedInMarkdownAndHtmlAndLongNamesGiveShortChartFiles()
    {
        const string Hostile = "p|<script>alert(1)<x>**bold**](javascript:alert(1))";
        var longName = new string('é', 200);
        var files = ReportWriter.Write(Input(Hostile, longName), Path.Combine(_dir, "report"));

        var markdown = File.ReadAllText(files.Markdown);
        var html = File.ReadAllText(files.Html);
        Assert.DoesNotContain("<script>", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("](javascript:", markdown, StringComparison.Ordinal);
        Assert.Contains(@"p\|\<script\>alert\(1\)\<x\>\*\*bold\*\*\]\(javascript:alert\(1\)\)", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("p|&lt;script&gt;alert(1)&lt;x&gt;**bold**](javascript:alert(1))", html, StringComparison.Ordinal);
        // Every row of the series table keeps its nine columns: the pipe in the name does not split a cell.
        var rows = markdown.Split('\n').SkipWhile(l => !l.StartsWith("| series", StringComparison.Ordinal)).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.True(rows.Count > 3);
        Assert.All(rows, r => Assert.Equal(10, System.Text.RegularExpressions.Regex.Count(r, @"(?<!\\)\|")));
        Assert.Contains(rows, r => r.Contains(longName, StringComparison.Ordinal));
        Assert.All(files.Charts, c =>
        {
            Assert.True(Path.GetFileName(c).Length <= 80, c);
            Assert.Matches("^[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.png$", Path.GetFileName(c));
        });
        Assert.Equal(files.Charts.Count, files.Charts.Distinct().Count());
    }

    [Fact]
    public void CostFromTheSourcesReportedCostIsMarkedAndAnUnpricedModelWithoutItIsUnknown()
    {
        var reported = ReportWriter.Write(Input(codegenModel: "deepseek-chat-v3-0324", codegenCostUsd: 0.5), Path.Combine(_dir, "reported"));
        var unknown = ReportWriter.Write(Input(codegenModel: "deepseek-chat-v3-0324"), Path.Combine(_dir, "unknown"));

        var rows = File.ReadAllLines(reported.Markdown);
        Assert.Contains(rows, l => l.StartsWith("| codegen", StringComparison.Ordinal) && l.Contains("(from reported cost)", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, l => l.StartsWith("| tutor", StringComparison.Ordinal) && l.Contains("(from reported cost)", StringComparison.Ordinal));
        Assert.Contains("(from reported cost)", File.ReadAllText(reported.Html), StringComparison.Ordinal);
        var markdown = File.ReadAllText(unknown.Markdown);
        Assert.DoesNotContain("(from reported cost)", markdown, StringComparison.Ordinal);
        Assert.Contains("unknown", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void ChartSlugsKeepPlainNamesAndHashTheRest()
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        Assert.Equal("all-all", ReportWriter.ChartSlug("*/*", used));
        Assert.Equal("tutor-deepseek-v3.2", ReportWriter.ChartSlug("tutor/deepseek-v3.2", used));
        var upper = ReportWriter.ChartSlug("Tutor/deepseek-v3.2", used);
        var collision = ReportWriter.ChartSlug("tutor-deepseek/v3.2", used);
        var long1 = ReportWriter.ChartSlug(new string('é', 200) + "/gpt-4.1", used);
        var long2 = ReportWriter.ChartSlug(new string('é', 199) + "e/gpt-4.1", used);

        Assert.Equal(6, used.Count);
        Assert.StartsWith("tutor-deepseek-v3.2-", upper, StringComparison.Ordinal);
        Assert.StartsWith("tutor-deepseek-v3.2-", collision, StringComparison.Ordinal);
        Assert.NotEqual(upper, collision);
        Assert.NotEqual(long1, long2);
        Assert.All(used, u => Assert.InRange(u.Length, 1, 60));
    }

    private static ReportInput Input(string tutor = "tutor", string codegen = "codegen", string codegenModel = "deepseek-v3.2", double? codegenCostUsd = null)
    {
        var random = new Random(3);
        var rows = new List<HourlyUsage>();
        for (var h = -24 * 28 + 1; h <= 0; h++)
        {
            var hour = Origin.AddHours(h);
            var level = 1_000_000 * (1.2 + Math.Sin(2 * Math.PI * hour.Hour / 24)) * (0.9 + (0.2 * random.NextDouble()));
            rows.Add(new HourlyUsage { Hour = hour, Project = tutor, Model = "gpt-4.1", InputTokens = (long)(0.7 * level), OutputTokens = (long)(0.3 * level), Requests = 500 });
            rows.Add(new HourlyUsage { Hour = hour, Project = codegen, Model = codegenModel, InputTokens = (long)(0.5 * level), OutputTokens = (long)(0.2 * level), Requests = 300, CostUsd = codegenCostUsd });
        }

        var series = SeriesBuilder.Build(rows, ForecastTarget.Tokens, Core.Pricing.PriceTable.Default);
        var forecast = new ForecastRun(ForecastTarget.Tokens, "v0001", Origin, Origin, 168, [.. series.Select(s =>
        {
            var lastDay = s.Values[^24..];
            return new SeriesForecast(s.Key, s.Key.IsLeaf ? "fasttree" : "bottom-up",
                [.. Enumerable.Range(1, 168).Select(h => new ForecastPoint(Origin.AddHours(h), 0.9 * lastDay[(h - 1) % 24], lastDay[(h - 1) % 24], 1.1 * lastDay[(h - 1) % 24]))]);
        })]);
        var backtest = Enumerable.Range(1, 72).Select(h => new BacktestPoint("*/*", 0, 0, h, Origin.AddHours(h - 72), series[0].Values[^(73 - h)], series[0].Values[^(73 - h)] * 1.05, ModelScore.Served, 1) { P10 = 0, P90 = 1e9 }).ToList();
        var plan = new Planner(new PlanningSettings { BudgetsUsdPerMonth = new() { [tutor] = 1000 } })
            .Build(new PlanInput(forecast, series, rows, backtest, new ModelHealth("v0001", Origin, 0.8, 0.8), Origin));
        var costs = new Dictionary<string, IReadOnlyList<(DateOnly, double)>>
        {
            ["gpt-4.1"] = [.. Enumerable.Range(0, 21).Select(d => (DateOnly.FromDateTime(Origin.UtcDateTime).AddDays(d - 13), 40.0 + d))],
            ["deepseek-v3.2"] = [.. Enumerable.Range(0, 21).Select(d => (DateOnly.FromDateTime(Origin.UtcDateTime).AddDays(d - 13), 5.0))],
        };
        return new ReportInput(
            plan,
            series,
            backtest,
            [new ModelScore(ModelScore.Served, 100, 10, 0.8, 0.8, 0.8, 100), new ModelScore("snaive", 125, 12, 1, 1, double.NaN, 100)],
            [new ReportModelVersion("v0001", true, Origin, Origin, 0.8, 0.8, "promoted: first version")],
            costs,
            Origin.AddHours(1));
    }
}
