using Forecasting.Core.Series;
using Forecasting.Reporting.Charts;

namespace Forecasting.Reporting.Reports;

/// <summary>
/// Draws a report's charts into its <c>charts/</c> folder: the forecast of the total and the largest series, daily cost by
/// model, the latest backtest, service quality and the weekly pattern, each only when there is data for it.
/// </summary>
internal static class ReportCharts
{
    public static List<ReportChart> Render(ReportInput input, string folder, int topSeries)
    {
        var plan = input.Plan;
        var images = new List<ReportChart>();
        var ranked = plan.Summaries.OrderBy(s => s.Series.IsTotal ? 0 : 1).ThenByDescending(s => s.NextWeek)
            .Where(s => s.Series.IsTotal || s.Series.IsLeaf).Take(topSeries).ToList();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var summary in ranked)
        {
            var history = input.History.First(h => h.Key == summary.Series);
            var file = $"forecast-{ReportWriter.ChartSlug(summary.Series.ToString(), used)}.png";
            ChartRenderer.ForecastChart(history, plan.Forecast.Find(summary.Series)!, $"{ReportDocument.Label(summary.Series)}: last 2 weeks and next 7 days", plan.Target.PerHour(), Path.Combine(folder, file));
            images.Add(new(file, $"Forecast of {ReportDocument.Label(summary.Series)}"));
        }

        if (input.DailyCostByModel.Count > 0)
        {
            ChartRenderer.DailyCostByModel(input.DailyCostByModel, "Daily cost by model: last 2 weeks actual, next 7 days forecast (p50)", Path.Combine(folder, "daily-cost-by-model.png"));
            images.Add(new("daily-cost-by-model.png", "Daily cost by model"));
        }

        var backtest = input.LatestBacktest.Where(p => p.Series == "*/*").ToList();
        if (backtest.Count > 0)
        {
            ChartRenderer.BacktestChart(backtest, $"Total {plan.Target.Unit()}: forecast vs actual on the latest backtest origins", plan.Target.PerHour(), Path.Combine(folder, "backtest-total.png"));
            images.Add(new("backtest-total.png", "Forecast vs actual (backtest)"));
        }

        if (input.ServiceQuality is { Count: > 0 } quality && quality.Any(d => d.LatencyMsP95 is not null || d.ErrorRate is not null))
        {
            ChartRenderer.ServiceQualityChart(quality, "Service quality per model: latency p95 and error rate per day, last 14 days", Path.Combine(folder, "service-quality.png"));
            images.Add(new("service-quality.png", "Service quality per model"));
        }

        var total = input.History.FirstOrDefault(h => h.Key.IsTotal);
        if (total is not null)
        {
            ChartRenderer.WeeklyHeatmap(total, $"Weekly pattern of total {plan.Target.Unit()} per hour (UTC)", Path.Combine(folder, "weekly-heatmap.png"));
            images.Add(new("weekly-heatmap.png", "Weekly seasonality"));
        }

        return images;
    }
}
