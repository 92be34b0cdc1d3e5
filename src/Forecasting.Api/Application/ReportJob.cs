using Forecasting.Core;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;
using Forecasting.ML.Registry;
using Forecasting.ML.Training;
using Forecasting.Reporting.Reports;

namespace Forecasting.Api.Application;

/// <summary>
/// One use case: the plan (cost, summaries, recommendations) of the latest stored forecast, and the
/// report with charts. Used by the CLI and the job that follows a retrain.
/// </summary>
public sealed class ReportJob(IUsageStore store, ModelRegistry registry, PlanningSettings settings, TimeProvider time)
{
    public async Task<Plan> PlanAsync(UsageData data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (plan, _, _) = await BuildAsync(data, cancellationToken);
        return plan;
    }

    public async Task<(Plan Plan, ReportFiles Files)> WriteAsync(UsageData data, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (plan, manifest, backtest) = await BuildAsync(data, cancellationToken);
        var name = Trainer.RegistryName(data.Target);
        var champion = registry.Champion(name)?.Version;
        var versions = registry.List(name).Select(m => new ReportModelVersion(
            m.Version, m.Version == champion, m.TrainedAt, m.DataWindow.End, m.Backtest.Served?.RelativeMae, m.Backtest.Served?.Coverage, m.Decision)).ToList();
        var latestOrigin = backtest.Where(p => p.OriginHour is not null).Select(p => p.OriginHour!.Value).DefaultIfEmpty().Max();
        var input = new ReportInput(
            plan,
            data.Series,
            [.. backtest.Where(p => p.OriginHour >= latestOrigin.AddHours(-72))],
            manifest.Backtest.Scores,
            versions,
            DailyCostByModel(data, plan, settings.PriceTable),
            time.GetUtcNow());
        var files = await Task.Run(() => ReportWriter.Write(input, folder), cancellationToken);
        return (plan, files);
    }

    private async Task<(Plan Plan, ModelManifest Manifest, List<BacktestPoint> Backtest)> BuildAsync(UsageData data, CancellationToken cancellationToken)
    {
        var target = data.Target.ToString().ToLowerInvariant();
        var run = await store.LatestForecastAsync(target, cancellationToken)
            ?? throw new InvalidInputException($"no stored forecast for target {target}; run 'forecasting forecast' first");
        var name = Trainer.RegistryName(data.Target);
        var manifest = registry.Load(name, run.ModelVersion);
        var backtestFile = Path.Combine(registry.VersionFolder(name, run.ModelVersion), Trainer.BacktestFile);
        var backtest = File.Exists(backtestFile) ? BacktestCsv.Read(backtestFile) : [];
        var served = manifest.Backtest.Served;
        var health = new ModelHealth(manifest.Version, manifest.TrainedAt, served?.RelativeMae ?? double.NaN, served?.Coverage ?? double.NaN);
        var recent = backtest.Where(p => p.Hour > run.Origin.AddHours(-72)).Select(p => p with { Scale = Scale(data, p.Series) }).ToList();
        var plan = new Planner(settings).Build(new PlanInput(run, data.Series, data.Rows, recent, health, time.GetUtcNow()));
        return (plan, manifest, backtest);
    }

    private static double Scale(UsageData data, string series) =>
        data.Series.FirstOrDefault(s => s.Key.ToString() == series) is { } s ? Backtester.Scale(s.Values) : 1;

    /// <summary>The last 14 days' actual cost and the forecast days' p50 cost, per model.</summary>
    private static Dictionary<string, IReadOnlyList<(DateOnly Day, double Cost)>> DailyCostByModel(UsageData data, Plan plan, Core.Pricing.PriceTable prices)
    {
        var since = plan.Forecast.Origin.AddDays(-14);
        var actual = data.Rows.Where(r => r.Hour > since)
            .GroupBy(r => r.Model)
            .ToDictionary(g => g.Key, g => g.GroupBy(r => DateOnly.FromDateTime(r.Hour.UtcDateTime))
                .Select(d => (Day: d.Key, Cost: d.Sum(r => r.CostUsd ?? prices.Cost(r) ?? 0))).ToList());
        var result = new Dictionary<string, IReadOnlyList<(DateOnly Day, double Cost)>>();
        foreach (var (model, days) in actual)
        {
            var key = new SeriesKey(SeriesKey.All, model).ToString();
            var forecast = plan.Daily.Where(d => d.Series == key && d.CostUsd is not null).Select(d => (d.Day, Cost: d.CostUsd!.Value));
            // The origin's day is partly actual and partly forecast: sum both parts.
            var merged = days.Concat(forecast).GroupBy(d => d.Day).Select(g => (Day: g.Key, Cost: g.Sum(x => x.Cost))).OrderBy(d => d.Day).ToList();
            result[model] = merged;
        }

        return result;
    }
}
