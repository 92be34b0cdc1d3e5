using Forecasting.Core.Backtesting;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;
using Forecasting.ML.Registry;
using Forecasting.Reporting.Reports;

namespace Forecasting.Application;

/// <summary>
/// The report (HTML, Markdown, PNG charts) of the latest stored forecast of a target, showing the plan
/// stored with it. A run stored before plans were is planned again here. Used by the CLI's
/// <c>report</c>, the demo and the retrain that promotes a version.
/// </summary>
public sealed class ReportUseCase(IWorkspaceSource workspaces, LatestForecastQuery latestForecast, ModelVersionsQuery modelVersions)
{
    public async Task<UseCaseResult<ReportResult>> WriteAsync(ForecastTarget target, string folder, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        var loaded = await UsageData.LoadAsync(workspace, target, cancellationToken);
        return await loaded.ThenAsync(data => WriteAsync(data, folder, cancellationToken));
    }

    public async Task<UseCaseResult<ReportResult>> WriteAsync(UsageData data, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var workspace = await workspaces.GetAsync(cancellationToken);
        var stored = await latestForecast.GetAsync(data.Target, cancellationToken);
        if (stored.Value is not { } latest)
        {
            return UseCase.Unavailable<ReportResult>(stored.Problem!);
        }

        var run = latest.Run;
        var plan = latest.Plan ?? PlanBuilder.Build(workspace, run, data);
        var registry = workspace.Registry;
        var name = ModelRegistry.NameOf(data.Target);
        var listed = modelVersions.Get(data.Target);
        var versions = listed.Versions.Select(m => new ReportModelVersion(
            m.Version, listed.IsChampion(m), m.TrainedAt, m.DataWindow.End, m.Backtest.Served?.RelativeMae, m.Backtest.Served?.Coverage, m.Decision)).ToList();
        var manifest = registry.Load(name, run.ModelVersion);
        var backtestFile = registry.ArtifactPath(name, run.ModelVersion, ModelRegistry.BacktestFile);
        var backtest = File.Exists(backtestFile) ? BacktestCsv.Read(backtestFile) : [];
        var latestOrigin = backtest.Where(p => p.OriginHour is not null).Select(p => p.OriginHour!.Value).DefaultIfEmpty().Max();
        var input = new ReportInput(
            plan,
            data.Series,
            [.. backtest.Where(p => p.OriginHour >= latestOrigin.AddHours(-72))],
            manifest.Backtest.Scores,
            versions,
            DailyCostByModel(data, plan, workspace.Settings),
            workspace.Time.GetUtcNow(),
            ServiceQuality.Daily(data.Rows, plan.Forecast.Origin.AddDays(-14).AddHours(1)))
        {
            TrainedHistoryHours = manifest.DataWindow.Hours,
        };
        var files = await Task.Run(() => ReportWriter.Write(input, folder), cancellationToken);
        return UseCase.Ok(new ReportResult(plan, files));
    }

    /// <summary>The last 14 days' actual cost and the forecast days' p50 cost, per model.</summary>
    private static Dictionary<string, IReadOnlyList<(DateOnly Day, double Cost)>> DailyCostByModel(UsageData data, Plan plan, PlanningSettings settings)
    {
        var prices = settings.PriceTable;
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
