using System.Globalization;
using Forecasting.Core.Series;

namespace Forecasting.Core.Planning.Recommendations;

/// <summary>
/// Per series: more than 30% of the last 72 served hours outside the 80% interval is an anomaly (an incident, a launch, a new
/// client), the most often outside first.
/// </summary>
internal sealed class AnomalyRule : IRecommendationRule
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public IEnumerable<Recommendation> Recommend(PlanContext context)
    {
        var input = context.Input;
        var target = input.Target;
        var since = input.Forecast.Origin.AddHours(-72);
        var totals = input.RecentServed.Where(p => p.Hour > since).CountBy(p => p.Series).ToDictionary();
        var outside = input.RecentServed
            .Where(p => p.Hour > since && !double.IsNaN(p.Actual) && !double.IsNaN(p.P10) && (p.Actual < p.P10 || p.Actual > p.P90))
            .GroupBy(p => p.Series)
            .Select(g => (Series: g.Key, Count: g.Count(), Total: totals[g.Key], Worst: g.MaxBy(p => Math.Abs(p.Actual - p.Forecast) / p.Scale)!))
            .Where(x => x.Count > 0.3 * x.Total)
            .OrderByDescending(x => (double)x.Count / x.Total);
        foreach (var (series, count, total, worst) in outside)
        {
            yield return new Recommendation(RecommendationKind.Anomaly, Severity.Warning, series,
                $"{series}: {count} of the last {total} hours fell outside the 80% interval",
                $"expected about {0.2 * total:N0}; the largest miss was {worst.Hour!.Value.UtcDateTime.ToString("ddd dd MMM HH:00", C)} UTC, actual {target.Format(worst.Actual)} vs forecast {target.Format(worst.Forecast)} (p10 {target.Format(worst.P10)}, p90 {target.Format(worst.P90)}). Check for an incident, a launch or a new client.");
        }
    }
}
