using System.Globalization;
using System.Net;
using System.Text;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Metrics;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;
using Forecasting.Reporting.Charts;

namespace Forecasting.Reporting.Reports;

/// <summary>
/// Writes <c>report.md</c> and a self-contained <c>report.html</c> (charts embedded as data URIs, and
/// also beside it under <c>charts/</c>): summary, recommendations, per-series tables, accuracy against
/// seasonal naive, model versions. Files are written to a temporary folder and moved into place.
/// </summary>
public static class ReportWriter
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static ReportFiles Write(ReportInput input, string folder, int topSeries = 4)
    {
        ArgumentNullException.ThrowIfNull(input);
        var target = Path.GetFullPath(folder);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // One writer of a report folder at a time (the CLI and the service's job may both write it);
        // the OS releases the lock if the process dies.
        using var writing = LockWriting(target);
        RecoverInterruptedWrite(target);
        var staging = target + $".tmp-{Guid.NewGuid():N}";
        var charts = Path.Combine(staging, "charts");
        Directory.CreateDirectory(charts);
        try
        {
            var images = RenderCharts(input, charts, topSeries);
            var markdown = Markdown(input, images);
            File.WriteAllText(Path.Combine(staging, "report.md"), markdown);
            File.WriteAllText(Path.Combine(staging, "report.html"), Html(input, images, charts));
            if (Directory.Exists(target))
            {
                // Replace, keeping the old report until the new one is complete.
                var old = target + $".old-{Guid.NewGuid():N}";
                Directory.Move(target, old);
                Directory.Move(staging, target);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                Directory.Move(staging, target);
            }

            return new ReportFiles(Path.Combine(target, "report.html"), Path.Combine(target, "report.md"), [.. images.Select(i => Path.Combine(target, "charts", i.File))]);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>
    /// Clears what a write killed part way left beside the report: staging folders, and a replaced
    /// report not yet deleted. If the kill fell between the two renames (no report in place), the
    /// replaced one is put back first, so a complete report is always there to read.
    /// </summary>
    private static FileStream LockWriting(string target)
    {
        // Hidden, beside the folder (not in it: the folder itself is swapped).
        var path = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + ".lock");
        return Core.IO.FileLock.TryAcquire(path, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(200))
            ?? throw new IOException($"another report is being written to {target}, for more than 2 minutes");
    }

    private static void RecoverInterruptedWrite(string target)
    {
        var parent = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(parent))
        {
            return;
        }

        var name = Path.GetFileName(target);
        var replaced = Directory.GetDirectories(parent, name + ".old-*").Select(d => new DirectoryInfo(d)).OrderByDescending(d => d.LastWriteTimeUtc).ToList();
        if (!Directory.Exists(target) && replaced.Count > 0)
        {
            Directory.Move(replaced[0].FullName, target);
            replaced.RemoveAt(0);
        }

        foreach (var leftover in replaced.Select(d => d.FullName).Concat(Directory.GetDirectories(parent, name + ".tmp-*")))
        {
            try
            {
                Directory.Delete(leftover, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a leftover that cannot be removed now is removed by a later write.
            }
        }
    }

    private static List<(string File, string Title)> RenderCharts(ReportInput input, string folder, int topSeries)
    {
        var plan = input.Plan;
        var images = new List<(string, string)>();
        var ranked = plan.Summaries.OrderBy(s => s.Series == "*/*" ? 0 : 1).ThenByDescending(s => s.NextWeek)
            .Where(s => s.Series == "*/*" || SeriesKey.Parse(s.Series).IsLeaf).Take(topSeries).ToList();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var summary in ranked)
        {
            var history = input.History.First(h => h.Key.ToString() == summary.Series);
            var file = $"forecast-{ChartSlug(summary.Series, used)}.png";
            ChartRenderer.ForecastChart(history, plan.Forecast.Find(summary.Series)!, $"{Label(summary.Series)}: last 2 weeks and next 7 days", plan.Target.PerHour(), Path.Combine(folder, file));
            images.Add((file, $"Forecast of {Label(summary.Series)}"));
        }

        if (input.DailyCostByModel.Count > 0)
        {
            ChartRenderer.DailyCostByModel(input.DailyCostByModel, "Daily cost by model: last 2 weeks actual, next 7 days forecast (p50)", Path.Combine(folder, "daily-cost-by-model.png"));
            images.Add(("daily-cost-by-model.png", "Daily cost by model"));
        }

        var backtest = input.LatestBacktest.Where(p => p.Series == "*/*").ToList();
        if (backtest.Count > 0)
        {
            ChartRenderer.BacktestChart(backtest, $"Total {plan.Target.Unit()}: forecast vs actual on the latest backtest origins", plan.Target.PerHour(), Path.Combine(folder, "backtest-total.png"));
            images.Add(("backtest-total.png", "Forecast vs actual (backtest)"));
        }

        if (input.ServiceQuality is { Count: > 0 } quality && quality.Any(d => d.LatencyMsP95 is not null || d.ErrorRate is not null))
        {
            ChartRenderer.ServiceQualityChart(quality, "Service quality per model: latency p95 and error rate per day, last 14 days", Path.Combine(folder, "service-quality.png"));
            images.Add(("service-quality.png", "Service quality per model"));
        }

        var total = input.History.FirstOrDefault(h => h.Key.IsTotal);
        if (total is not null)
        {
            ChartRenderer.WeeklyHeatmap(total, $"Weekly pattern of total {plan.Target.Unit()} per hour (UTC)", Path.Combine(folder, "weekly-heatmap.png"));
            images.Add(("weekly-heatmap.png", "Weekly seasonality"));
        }

        return images;
    }

    private static string Markdown(ReportInput input, List<(string File, string Title)> images)
    {
        var plan = input.Plan;
        var text = new StringBuilder();
        var total = plan.Summaries.FirstOrDefault(s => s.Series == "*/*");
        text.AppendLine("# LLM usage forecast");
        text.AppendLine();
        text.AppendLine(C, $"Generated {input.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC from data up to {plan.Forecast.Origin.UtcDateTime:yyyy-MM-dd HH:00} UTC by model version {MarkdownText(plan.Forecast.ModelVersion)}. Amounts in {MarkdownText(plan.Currency)}.");
        text.AppendLine();
        text.AppendLine("## Summary");
        text.AppendLine();
        foreach (var line in Headlines(plan))
        {
            text.AppendLine("- " + line);
        }

        if (Regime(input.TrainedHistoryHours) is { } regime)
        {
            text.AppendLine("- " + regime);
        }

        foreach (var warning in plan.Warnings)
        {
            text.AppendLine("- **Warning:** " + MarkdownText(warning));
        }

        text.AppendLine();
        text.AppendLine("## Recommendations");
        text.AppendLine();
        foreach (var r in Ordered(plan.Recommendations))
        {
            text.AppendLine(C, $"- **{r.Severity}, {Kind(r.Kind)}**: {MarkdownText(r.Title)}. {MarkdownText(r.Reason)}");
        }

        text.AppendLine();
        text.AppendLine("## Next 7 days per series");
        text.AppendLine();
        text.AppendLine(C, $"| series | model | history | {plan.Target.Unit()} (p50) | vs last 7 days | cost ({MarkdownText(plan.Currency)}) | last 7 days cost | peak hour (UTC) | peak p50 / p90 {plan.Target.PerHour()} |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---|---:|");
        var histories = input.History.GroupBy(h => h.Key.ToString()).ToDictionary(g => g.Key, g => g.First());
        foreach (var s in Ordered(plan.Summaries))
        {
            text.AppendLine(C, $"| {MarkdownText(Label(s.Series))} | {MarkdownText(s.Model)} | {History(histories.GetValueOrDefault(s.Series))} | {Number(plan, s.NextWeek)} | {Percent(s.Change)} | {Money(plan, s.NextWeekCostUsd)}{Reported(plan, s.Series)} | {Money(plan, s.LastWeekCostUsd)} | {s.PeakHour.UtcDateTime:ddd dd MMM HH:00} | {Number(plan, s.PeakP50)} / {Number(plan, s.PeakP90)} |");
        }

        text.AppendLine();
        text.AppendLine("## Daily totals (all traffic)");
        text.AppendLine();
        text.AppendLine(C, $"| day (UTC) | {plan.Target.Unit()} (p50) | cost p50 | cost p10 to p90 (the day's 80% band) |");
        text.AppendLine("|---|---:|---:|---:|");
        foreach (var d in plan.Daily.Where(d => d.Series == "*/*"))
        {
            text.AppendLine(C, $"| {d.Day:ddd dd MMM} | {Number(plan, d.Value)} | {Money(plan, d.CostUsd)} | {Money(plan, d.CostP10)} to {Money(plan, d.CostP90)} |");
        }

        text.AppendLine();
        text.AppendLine("## Accuracy (rolling-origin backtest, data the models did not see)");
        text.AppendLine();
        text.AppendLine(C, $"| model | MAE ({plan.Target.PerHour()}) | sMAPE % | MASE | MAE vs seasonal naive | 80% interval coverage |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var s in input.BacktestScores)
        {
            text.AppendLine(C, $"| {(s.Model == ModelScore.Served ? "**served**" : MarkdownText(s.Model))} | {Number(plan, s.Mae)} | {s.Smape:N2} | {s.Mase:N3} | {Ratio(s.RelativeMae)} | {(double.IsNaN(s.Coverage) ? "-" : s.Coverage.ToString("P1", C))} |");
        }

        text.AppendLine();
        ServiceQualitySection(text, input.ServiceQuality ?? []);
        text.AppendLine("## Model versions");
        text.AppendLine();
        text.AppendLine("| version | champion | trained (UTC) | data up to | MAE vs seasonal naive | coverage | decision |");
        text.AppendLine("|---|---|---|---|---:|---:|---|");
        foreach (var v in input.Versions)
        {
            text.AppendLine(C, $"| {v.Version} | {(v.Champion ? "yes" : "")} | {v.TrainedAt.UtcDateTime:yyyy-MM-dd HH:mm} | {v.DataEnd?.UtcDateTime.ToString("yyyy-MM-dd HH:00", C) ?? "-"} | {Ratio(v.RelativeMae ?? double.NaN)} | {(v.Coverage is { } c ? c.ToString("P1", C) : "-")} | {MarkdownText(v.Decision ?? "")} |");
        }

        text.AppendLine();
        text.AppendLine("## Charts");
        text.AppendLine();
        foreach (var (file, title) in images)
        {
            text.AppendLine(C, $"![{MarkdownText(title)}](charts/{file})");
            text.AppendLine();
        }

        _ = total;
        return text.ToString();
    }

    private static string Html(ReportInput input, List<(string File, string Title)> images, string chartFolder)
    {
        // The Markdown is the content; the HTML renders the same sections with tables and embedded images.
        var markdown = Markdown(input, []);
        var body = new StringBuilder();
        var inTable = false;
        var inList = false;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('|'))
            {
                if (line.StartsWith("|---", StringComparison.Ordinal))
                {
                    continue;
                }

                var cells = Cells(line).Select(c => Inline(c.Trim()));
                body.Append(inTable ? "<tr><td>" + string.Join("</td><td>", cells) + "</td></tr>\n" : "<table><tr><th>" + string.Join("</th><th>", cells) + "</th></tr>\n");
                inTable = true;
                continue;
            }

            if (inTable)
            {
                body.Append("</table>\n");
                inTable = false;
            }

            if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                body.Append(inList ? "" : "<ul>\n").Append("<li>").Append(Inline(line[2..])).Append("</li>\n");
                inList = true;
                continue;
            }

            if (inList)
            {
                body.Append("</ul>\n");
                inList = false;
            }

            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                body.Append("<h2>").Append(WebUtility.HtmlEncode(line[3..])).Append("</h2>\n");
            }
            else if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                body.Append("<h1>").Append(WebUtility.HtmlEncode(line[2..])).Append("</h1>\n");
            }
            else if (line.Length > 0)
            {
                body.Append("<p>").Append(Inline(line)).Append("</p>\n");
            }
        }

        foreach (var (file, title) in images)
        {
            var data = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(chartFolder, file)));
            body.Append(C, $"<figure><img alt=\"{WebUtility.HtmlEncode(title)}\" src=\"data:image/png;base64,{data}\"><figcaption>{WebUtility.HtmlEncode(title)}</figcaption></figure>\n");
        }

        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>LLM usage forecast</title>
            <style>
            body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2em auto; max-width: 1250px; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            th { background: #f2f4f7; }
            img { max-width: 100%; border: 1px solid #ddd; }
            li { margin: 0.3em 0; }
            </style></head><body>
            {{body}}
            </body></html>
            """;
    }

    /// <summary>The cells of a Markdown table row: split on the pipes that are not escaped.</summary>
    private static List<string> Cells(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var body = line.Trim().Trim('|');
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '\\' && i + 1 < body.Length)
            {
                cell.Append(body[i]).Append(body[++i]);
            }
            else if (body[i] == '|')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(body[i]);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }

    /// <summary>The report's own Markdown inline (<c>**bold**</c>, backslash escapes) as HTML; everything else is encoded text.</summary>
    private static string Inline(string text)
    {
        var result = new StringBuilder();
        var literal = new StringBuilder();
        var strong = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                literal.Append(text[++i]);
            }
            else if (text[i] == '*' && i + 1 < text.Length && text[i + 1] == '*')
            {
                result.Append(WebUtility.HtmlEncode(literal.ToString())).Append(strong ? "</strong>" : "<strong>");
                literal.Clear();
                strong = !strong;
                i++;
            }
            else
            {
                literal.Append(text[i]);
            }
        }

        result.Append(WebUtility.HtmlEncode(literal.ToString()));
        if (strong)
        {
            result.Append("</strong>");
        }

        return result.ToString();
    }

    /// <summary>The regime the forecasting version was trained in, from its longest series' hours; null when unknown.</summary>
    internal static string? Regime(int? trainedHistoryHours) => trainedHistoryHours switch
    {
        null or <= 0 => null,
        < BacktestOptions.WeeklyHistory => string.Create(C, $"Young data: the version was trained on {Span(trainedHistoryHours.Value)} of history (under 3 weeks), so its baseline is the daily seasonal naive, its candidates include the median of the same hour over the last 7 days, and its backtest used a daily period and fewer origins; the weekly cycle is learned from 3 weeks of history on."),
        _ => string.Create(C, $"Trained on {Span(trainedHistoryHours.Value)} of history: daily and weekly cycles."),
    };

    /// <summary>A series' history from its first observed hour: "30 h", "14 d", "16 w".</summary>
    private static string History(HourlySeries? series)
    {
        if (series is null)
        {
            return "-";
        }

        var first = Array.FindIndex(series.Values, v => !double.IsNaN(v));
        return first < 0 ? "-" : Span(series.Length - first);
    }

    private static string Span(int hours) => hours switch
    {
        < 48 => string.Create(C, $"{hours} h"),
        < 24 * 7 * 3 => string.Create(C, $"{hours / 24} d"),
        _ => string.Create(C, $"{hours / (24 * 7)} w"),
    };

    public static IEnumerable<string> Headlines(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var total = plan.Summaries.FirstOrDefault(s => s.Series == "*/*");
        if (total is null)
        {
            yield break;
        }

        var target = plan.Target;
        yield return target == ForecastTarget.Cost
            ? string.Create(C, $"Next 7 days: costing {Money(plan, total.NextWeek)} {plan.Currency} ({Percent(total.Change)} vs the last 7 days: {Money(plan, total.LastWeekCostUsd)} {plan.Currency}).")
            : string.Create(C, $"Next 7 days: {target.Format(total.NextWeek)} ({Percent(total.Change)} vs the last 7 days), costing {Money(plan, total.NextWeekCostUsd)} {plan.Currency}{Reported(plan, total.Series)} (last 7 days: {Money(plan, total.LastWeekCostUsd)} {plan.Currency}).");
        var average = total.AverageP50 > 0 ? total.PeakP90 / total.AverageP50 : double.NaN;
        yield return string.Create(C, $"Peak hour: {total.PeakHour.UtcDateTime:ddd dd MMM HH:00} UTC at {target.Format(total.PeakP50)}/h (p90 {target.Format(total.PeakP90)}/h), {average:0.0}× the average hour.");
        var critical = plan.Recommendations.Count(r => r.Severity == Severity.Critical);
        var warning = plan.Recommendations.Count(r => r.Severity == Severity.Warning);
        yield return string.Create(C, $"{critical} critical and {warning} warning recommendation(s) below.");
    }

    private static IEnumerable<Recommendation> Ordered(IEnumerable<Recommendation> items) =>
        items.OrderByDescending(r => r.Severity).ThenBy(r => r.Kind);

    private static IEnumerable<SeriesSummary> Ordered(IEnumerable<SeriesSummary> items) =>
        items.OrderBy(s => s.Series == "*/*" ? 0 : SeriesKey.Parse(s.Series).IsLeaf ? 2 : 1).ThenByDescending(s => s.NextWeek);

    private static string Kind(RecommendationKind kind) => kind switch
    {
        RecommendationKind.RateLimit => "rate limit",
        RecommendationKind.ModelHealth => "model health",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Label(string series) => series switch
    {
        "*/*" => "all traffic",
        _ when series.EndsWith("/*", StringComparison.Ordinal) => $"project {series[..^2]}",
        _ when series.StartsWith("*/", StringComparison.Ordinal) => $"model {series[2..]}",
        _ => series,
    };

    /// <summary>
    /// A chart file name for a series: lower-case ASCII letters, digits, dashes and single dots (what the API's
    /// chart route serves), at most about 60 characters whatever the names. <c>tutor/deepseek-v3.2</c> stays
    /// <c>tutor-deepseek-v3.2</c>; a name that had to change (other characters, upper case, length) or that
    /// collides with one already used gets a hash of the series key, so distinct series never share a file.
    /// </summary>
    public static string ChartSlug(string series, ISet<string> used)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(used);
        var plain = series.Replace("*", "all", StringComparison.Ordinal).Replace('/', '-');
        var slug = new StringBuilder();
        foreach (var c in plain.ToLowerInvariant())
        {
            var safe = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '.' ? c : '-';
            if ((safe is '-' or '.') && (slug.Length == 0 || slug[^1] is '-' or '.'))
            {
                continue;
            }

            slug.Append(safe);
        }

        var text = slug.ToString().TrimEnd('-', '.');
        if (text != plain || text.Length > MaxSlug || used.Contains(text))
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(series)))[..12];
            var head = text.Length > MaxSlug - 13 ? text[..(MaxSlug - 13)].TrimEnd('-', '.') : text;
            text = head.Length == 0 ? hash : head + "-" + hash;
        }

        used.Add(text);
        return text;
    }

    /// <summary>
    /// Text from names and settings in Markdown: every character Markdown or a table gives a meaning to is
    /// escaped (<c>**</c>, <c>|</c>, <c>](javascript:…)</c>, <c>&lt;script&gt;</c>), line breaks become spaces.
    /// </summary>
    public static string MarkdownText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (MarkdownSpecials.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(char.IsControl(c) ? ' ' : c);
        }

        return escaped.ToString();
    }

    private const int MaxSlug = 60;

    private const string MarkdownSpecials = "\\`*_{}[]()<>#+!|~&";

    private static string Percent(double? change) => change is { } c ? (c >= 0 ? "+" : "") + c.ToString("P1", C) : "-";

    /// <summary>
    /// Per model over the days given (14): latency p50/p95 and error rate, their trend (the last 7 days against
    /// the 7 before), and the slowest and least reliable models by name.
    /// </summary>
    private static void ServiceQualitySection(StringBuilder text, IReadOnlyList<ServiceQualityDay> days)
    {
        text.AppendLine("## Service quality");
        text.AppendLine();
        if (!days.Any(d => d.LatencyMsP95 is not null || d.ErrorRate is not null))
        {
            text.AppendLine("The stored usage reports no latency or errors.");
            text.AppendLine();
            return;
        }

        var last = days.Max(d => d.Day);
        var rows = days.GroupBy(d => d.Model).Select(g => (
            Model: g.Key,
            Requests: g.Sum(d => d.Requests),
            P50: Weighted(g, d => d.LatencyMsP50),
            P95: Weighted(g, d => d.LatencyMsP95),
            Errors: Weighted(g, d => d.ErrorRate),
            P95Recent: Weighted(g.Where(d => d.Day > last.AddDays(-7)), d => d.LatencyMsP95),
            P95Before: Weighted(g.Where(d => d.Day <= last.AddDays(-7)), d => d.LatencyMsP95),
            ErrorsRecent: Weighted(g.Where(d => d.Day > last.AddDays(-7)), d => d.ErrorRate),
            ErrorsBefore: Weighted(g.Where(d => d.Day <= last.AddDays(-7)), d => d.ErrorRate)))
            .OrderBy(r => r.Model, StringComparer.Ordinal).ToList();
        text.AppendLine(C, $"Per model, {days.Min(d => d.Day):yyyy-MM-dd} to {last:yyyy-MM-dd} (UTC days; latency is the request-weighted mean of the hours' percentiles; trend is the last 7 days against the 7 before).");
        text.AppendLine();
        text.AppendLine("| model | requests | latency p50 (ms) | latency p95 (ms) | p95 trend | error rate | error-rate trend |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            text.AppendLine(C, $"| {MarkdownText(r.Model)} | {r.Requests:N0} | {Ms(r.P50)} | {Ms(r.P95)} | {Trend(r.P95Recent, r.P95Before)} | {(r.Errors is { } e ? e.ToString("P2", C) : "-")} | {Trend(r.ErrorsRecent, r.ErrorsBefore)} |");
        }

        text.AppendLine();
        if (rows.Where(r => r.P95 is not null).MaxBy(r => r.P95) is { } slowest)
        {
            text.AppendLine(C, $"- Slowest model: **{MarkdownText(slowest.Model)}**, latency p95 {Ms(slowest.P95)} ms.");
        }

        if (rows.Where(r => r.Errors is not null).MaxBy(r => r.Errors) is { } worst)
        {
            text.AppendLine(C, $"- Least reliable model: **{MarkdownText(worst.Model)}**, error rate {worst.Errors!.Value.ToString("P2", C)}.");
        }

        text.AppendLine();
    }

    private static double? Weighted(IEnumerable<ServiceQualityDay> items, Func<ServiceQualityDay, double?> value) => RequestWeighted.Mean(items, value, d => d.Requests);

    private static string Ms(double? value) => value is { } v ? v.ToString("N0", C) : "-";

    private static string Trend(double? recent, double? before) =>
        recent is { } r && before is { } b && b > 0 ? Math.Round((r / b) - 1, 3).ToString("+0.0%;-0.0%;0.0%", C) : "-";

    private static string Ratio(double value) => double.IsNaN(value) ? "-" : value.ToString("0.000", C);

    /// <summary>Whole units from 100 up; cents below, so small costs never read as 0.</summary>
    private static string Money(Plan plan, double? usd) => usd is { } v
        ? Math.Abs(v * plan.PerUsd) >= 100 ? (v * plan.PerUsd).ToString("N0", C) : (v * plan.PerUsd).ToString("N2", C)
        : "unknown";

    /// <summary>The mark of a cost priced (in part) at the cost the source reported, as its model has no price in the table.</summary>
    private static string Reported(Plan plan, string series) =>
        plan.Costs.FirstOrDefault(c => c.Series == series) is { FromReportedCost: true } ? " (from reported cost)" : "";

    /// <summary>A value of the forecast target without its unit (the column says it).</summary>
    private static string Number(Plan plan, double value) => plan.Target.FormatNumber(value);
}
