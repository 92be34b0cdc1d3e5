using System.Globalization;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;

namespace Forecasting.Application;

/// <summary>
/// The conditions read from the store after new usage arrived: budgets the plan stored with the latest forecast
/// says will be crossed (its critical budget recommendations), and series whose actual usage was outside the
/// p10..p90 band forecast for it for the last <c>anomalyHours</c> hours in a row. Only the last hours' rows are read.
/// </summary>
public sealed class ConditionsUseCase(IWorkspaceSource workspaces, LatestForecastQuery latestForecast)
{
    public async Task<IReadOnlyList<Condition>> EvaluateAsync(ForecastTarget target, ForecastBands bands, int anomalyHours, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bands);
        ArgumentOutOfRangeException.ThrowIfLessThan(anomalyHours, 1);
        var workspace = await workspaces.GetAsync(cancellationToken);
        var conditions = new List<Condition>();
        var latest = (await latestForecast.GetAsync(target, cancellationToken)).Value;
        if (latest is null)
        {
            return conditions;
        }

        foreach (var budget in latest.Plan?.Recommendations.Where(r => r.Kind == RecommendationKind.Budget && r.Severity == Severity.Critical) ?? [])
        {
            conditions.Add(new Condition("budget", $"budget:{budget.Subject}", "critical", budget.Title, budget.Reason));
        }

        // The bands of earlier runs cover the hours that arrived since; the latest run's cover the hours to come.
        var summary = await workspace.Store.SummarizeAsync(cancellationToken);
        if (summary.LastHour is { } last)
        {
            var from = last.AddHours(-(anomalyHours - 1));
            var rows = new List<HourlyUsage>();
            await foreach (var row in workspace.Store.ReadAsync(new UsageQuery(From: from, To: last.AddHours(1)), cancellationToken))
            {
                rows.Add(row);
            }

            conditions.AddRange(Anomalies(workspace, latest.Run.Series.Select(s => s.Key), rows, from, anomalyHours, target, bands));
        }

        bands.Remember(latest.Run);
        return conditions;
    }

    private static IEnumerable<Condition> Anomalies(Workspace workspace, IEnumerable<SeriesKey> seriesKeys, List<HourlyUsage> rows, DateTimeOffset from, int hours, ForecastTarget target, ForecastBands bands)
    {
        var prices = workspace.Settings.PriceTable;
        foreach (var key in seriesKeys)
        {
            var series = key.ToString();
            int above = 0, below = 0;
            var last = (Actual: 0.0, P10: 0.0, P90: 0.0);
            for (var h = 0; h < hours; h++)
            {
                var hour = from.AddHours(h);
                var hourRows = rows.Where(r => r.Hour == hour && key.Contains(new SeriesKey(r.Project, r.Model))).ToList();
                if (hourRows.Count == 0 || !bands.TryGet(series, hour, out var band))
                {
                    break;
                }

                var actual = hourRows.Sum(r => target.ValueOf(r, prices));
                above += actual > band.P90 ? 1 : 0;
                below += actual < band.P10 ? 1 : 0;
                last = (actual, band.P10, band.P90);
            }

            if (above == hours || below == hours)
            {
                var direction = above == hours ? "above p90" : "below p10";
                var unit = target.Unit();
                yield return new Condition(
                    "anomaly",
                    $"anomaly:{series}:{(above == hours ? "high" : "low")}",
                    "warning",
                    $"{series}: usage {direction} for {hours} h",
                    string.Create(CultureInfo.InvariantCulture, $"{series} was {direction} of its forecast for the last {hours} hours in a row; last hour {last.Actual:N0} {unit} against a band of {last.P10:N0} to {last.P90:N0}"));
            }
        }
    }
}
