using System.Globalization;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Metrics;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;

namespace Forecasting.Reporting.Reports;

/// <summary>
/// What a report says, as blocks (headings, paragraphs, lists, tables, figures): summary, recommendations, per-series
/// tables, daily totals, accuracy against seasonal naive, service quality, model versions and charts. The Markdown and
/// the HTML are both rendered from it.
/// </summary>
internal static class ReportDocument
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static IReadOnlyList<ReportBlock> Build(ReportInput input, IReadOnlyList<ReportChart> charts)
    {
        var plan = input.Plan;
        var blocks = new List<ReportBlock>
        {
            new ReportBlock.Heading(1, "LLM usage forecast"),
            new ReportBlock.Paragraph(new ReportText()
                .Add(string.Create(C, $"Generated {input.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC from data up to {plan.Forecast.Origin.UtcDateTime:yyyy-MM-dd HH:00} UTC by model version "))
                .Name(plan.Forecast.ModelVersion).Add(". Amounts in ").Name(plan.Currency).Add(".")),
            new ReportBlock.Heading(2, "Summary"),
        };
        var summary = Headlines(plan).Select(ReportText.Of).ToList();
        if (Regime(input.TrainedHistoryHours) is { } regime)
        {
            summary.Add(ReportText.Of(regime));
        }

        summary.AddRange(plan.Warnings.Select(w => new ReportText().Bold("Warning:").Add(" ").Name(w)));
        blocks.Add(new ReportBlock.Bullets(summary));

        blocks.Add(new ReportBlock.Heading(2, "Recommendations"));
        blocks.Add(new ReportBlock.Bullets([.. Ordered(plan.Recommendations).Select(r =>
            new ReportText().Bold(string.Create(C, $"{r.Severity}, {Kind(r.Kind)}")).Add(": ").Name(r.Title).Add(". ").Name(r.Reason))]));

        blocks.Add(new ReportBlock.Heading(2, "Next 7 days per series"));
        var histories = input.History.GroupBy(h => h.Key.ToString()).ToDictionary(g => g.Key, g => g.First());
        blocks.Add(new ReportBlock.Table(
            "lllrrrrlr",
            [.. Cells("series", "model", "history", $"{plan.Target.Unit()} (p50)", "vs last 7 days"), new ReportText().Add("cost (").Name(plan.Currency).Add(")"),
                .. Cells("last 7 days cost", "peak hour (UTC)", $"peak p50 / p90 {plan.Target.PerHour()}")],
            [.. Ordered(plan.Summaries).Select(s => (IReadOnlyList<ReportText>)[
                ReportText.OfName(Label(s.Series.ToString())),
                ReportText.OfName(s.Model),
                .. Cells(
                    History(histories.GetValueOrDefault(s.Series.ToString())),
                    Number(plan, s.NextWeek),
                    Percent(s.Change),
                    Money(plan, s.NextWeekCostUsd) + Reported(plan, s.Series.ToString()),
                    Money(plan, s.LastWeekCostUsd),
                    string.Create(C, $"{s.PeakHour.UtcDateTime:ddd dd MMM HH:00}"),
                    $"{Number(plan, s.PeakP50)} / {Number(plan, s.PeakP90)}")])]));

        blocks.Add(new ReportBlock.Heading(2, "Daily totals (all traffic)"));
        blocks.Add(new ReportBlock.Table(
            "lrrr",
            Cells("day (UTC)", $"{plan.Target.Unit()} (p50)", "cost p50", "cost p10 to p90 (the day's 80% band)"),
            [.. plan.Daily.Where(d => d.Series == "*/*").Select(d => Cells(
                string.Create(C, $"{d.Day:ddd dd MMM}"), Number(plan, d.Value), Money(plan, d.CostUsd), $"{Money(plan, d.CostP10)} to {Money(plan, d.CostP90)}"))]));

        blocks.Add(new ReportBlock.Heading(2, "Accuracy (rolling-origin backtest, data the models did not see)"));
        blocks.Add(new ReportBlock.Table(
            "lrrrrr",
            Cells("model", $"MAE ({plan.Target.PerHour()})", "sMAPE %", "MASE", "MAE vs seasonal naive", "80% interval coverage"),
            [.. input.BacktestScores.Select(s => (IReadOnlyList<ReportText>)[
                s.Model == ModelScore.Served ? new ReportText().Bold("served") : ReportText.OfName(s.Model),
                .. Cells(
                    Number(plan, s.Mae),
                    s.Smape.ToString("N2", C),
                    s.Mase.ToString("N3", C),
                    Ratio(s.RelativeMae),
                    double.IsNaN(s.Coverage) ? "-" : s.Coverage.ToString("P1", C))])]));

        ServiceQuality(blocks, input.ServiceQuality ?? []);

        blocks.Add(new ReportBlock.Heading(2, "Model versions"));
        blocks.Add(new ReportBlock.Table(
            "llllrrl",
            Cells("version", "champion", "trained (UTC)", "data up to", "MAE vs seasonal naive", "coverage", "decision"),
            [.. input.Versions.Select(v => (IReadOnlyList<ReportText>)[
                .. Cells(
                    v.Version,
                    v.Champion ? "yes" : "",
                    string.Create(C, $"{v.TrainedAt.UtcDateTime:yyyy-MM-dd HH:mm}"),
                    v.DataEnd?.UtcDateTime.ToString("yyyy-MM-dd HH:00", C) ?? "-",
                    Ratio(v.RelativeMae ?? double.NaN),
                    v.Coverage is { } c ? c.ToString("P1", C) : "-"),
                ReportText.OfName(v.Decision ?? "")])]));

        blocks.Add(new ReportBlock.Heading(2, "Charts"));
        blocks.AddRange(charts.Select(chart => new ReportBlock.Figure(chart)));
        return blocks;
    }

    public static IEnumerable<string> Headlines(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var total = plan.Summaries.FirstOrDefault(s => s.Series.IsTotal);
        if (total is null)
        {
            yield break;
        }

        var target = plan.Target;
        yield return target == ForecastTarget.Cost
            ? string.Create(C, $"Next 7 days: costing {Money(plan, total.NextWeek)} {plan.Currency} ({Percent(total.Change)} vs the last 7 days: {Money(plan, total.LastWeekCostUsd)} {plan.Currency}).")
            : string.Create(C, $"Next 7 days: {target.Format(total.NextWeek)} ({Percent(total.Change)} vs the last 7 days), costing {Money(plan, total.NextWeekCostUsd)} {plan.Currency}{Reported(plan, total.Series.ToString())} (last 7 days: {Money(plan, total.LastWeekCostUsd)} {plan.Currency}).");
        var average = total.AverageP50 > 0 ? total.PeakP90 / total.AverageP50 : double.NaN;
        yield return string.Create(C, $"Peak hour: {total.PeakHour.UtcDateTime:ddd dd MMM HH:00} UTC at {target.Format(total.PeakP50)}/h (p90 {target.Format(total.PeakP90)}/h), {average:0.0}× the average hour.");
        var critical = plan.Recommendations.Count(r => r.Severity == Severity.Critical);
        var warning = plan.Recommendations.Count(r => r.Severity == Severity.Warning);
        yield return string.Create(C, $"{critical} critical and {warning} warning recommendation(s) below.");
    }

    /// <summary>The regime the forecasting version was trained in, from its longest series' hours; null when unknown.</summary>
    internal static string? Regime(int? trainedHistoryHours) => trainedHistoryHours switch
    {
        null or <= 0 => null,
        < BacktestOptions.WeeklyHistory => string.Create(C, $"Young data: the version was trained on {Span(trainedHistoryHours.Value)} of history (under 3 weeks), so its baseline is the daily seasonal naive, its candidates include the median of the same hour over the last 7 days, and its backtest used a daily period and fewer origins; the weekly cycle is learned from 3 weeks of history on."),
        _ => string.Create(C, $"Trained on {Span(trainedHistoryHours.Value)} of history: daily and weekly cycles."),
    };

    /// <summary>A series as a reader names it: all traffic, a project, a model, or the leaf itself.</summary>
    internal static string Label(SeriesKey series) => Label(series.ToString());

    internal static string Label(string series) => series switch
    {
        "*/*" => "all traffic",
        _ when series.EndsWith("/*", StringComparison.Ordinal) => $"project {series[..^2]}",
        _ when series.StartsWith("*/", StringComparison.Ordinal) => $"model {series[2..]}",
        _ => series,
    };

    private static IReadOnlyList<ReportText> Cells(params string[] texts) => [.. texts.Select(ReportText.Of)];

    /// <summary>
    /// Per model over the days given (14): latency p50/p95 and error rate, their trend (the last 7 days against
    /// the 7 before), and the slowest and least reliable models by name.
    /// </summary>
    private static void ServiceQuality(List<ReportBlock> blocks, IReadOnlyList<ServiceQualityDay> days)
    {
        blocks.Add(new ReportBlock.Heading(2, "Service quality"));
        if (!days.Any(d => d.LatencyMsP95 is not null || d.ErrorRate is not null))
        {
            blocks.Add(new ReportBlock.Paragraph(ReportText.Of("The stored usage reports no latency or errors.")));
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
        blocks.Add(new ReportBlock.Paragraph(ReportText.Of(string.Create(C, $"Per model, {days.Min(d => d.Day):yyyy-MM-dd} to {last:yyyy-MM-dd} (UTC days; latency is the request-weighted mean of the hours' percentiles; trend is the last 7 days against the 7 before)."))));
        blocks.Add(new ReportBlock.Table(
            "lrrrrrr",
            Cells("model", "requests", "latency p50 (ms)", "latency p95 (ms)", "p95 trend", "error rate", "error-rate trend"),
            [.. rows.Select(r => (IReadOnlyList<ReportText>)[
                ReportText.OfName(r.Model),
                .. Cells(
                    r.Requests.ToString("N0", C),
                    Ms(r.P50),
                    Ms(r.P95),
                    Trend(r.P95Recent, r.P95Before),
                    r.Errors is { } e ? e.ToString("P2", C) : "-",
                    Trend(r.ErrorsRecent, r.ErrorsBefore))])]));
        var findings = new List<ReportText>();
        if (rows.Where(r => r.P95 is not null).MaxBy(r => r.P95) is { } slowest)
        {
            findings.Add(new ReportText().Add("Slowest model: ").Bold(slowest.Model, name: true).Add($", latency p95 {Ms(slowest.P95)} ms."));
        }

        if (rows.Where(r => r.Errors is not null).MaxBy(r => r.Errors) is { } worst)
        {
            findings.Add(new ReportText().Add("Least reliable model: ").Bold(worst.Model, name: true).Add($", error rate {worst.Errors!.Value.ToString("P2", C)}."));
        }

        blocks.Add(new ReportBlock.Bullets(findings));
    }

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

    private static IEnumerable<Recommendation> Ordered(IEnumerable<Recommendation> items) =>
        items.OrderByDescending(r => r.Severity).ThenBy(r => r.Kind);

    private static IEnumerable<SeriesSummary> Ordered(IEnumerable<SeriesSummary> items) =>
        items.OrderBy(s => s.Series.IsTotal ? 0 : s.Series.IsLeaf ? 2 : 1).ThenByDescending(s => s.NextWeek);

    private static string Kind(RecommendationKind kind) => kind switch
    {
        RecommendationKind.RateLimit => "rate limit",
        RecommendationKind.ModelHealth => "model health",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Percent(double? change) => change is { } c ? (c >= 0 ? "+" : "") + c.ToString("P1", C) : "-";

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
