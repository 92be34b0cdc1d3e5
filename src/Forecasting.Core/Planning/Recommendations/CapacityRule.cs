using System.Globalization;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;

namespace Forecasting.Core.Planning.Recommendations;

/// <summary>
/// Per model roll-up (<c>*/model</c> and the total): the capacity to provision for next week's peak hour (its p90). Capacity is
/// provisioned in tokens or requests; a cost forecast has nothing to provision.
/// </summary>
internal sealed class CapacityRule : IRecommendationRule
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public IEnumerable<Recommendation> Recommend(PlanContext context)
    {
        var target = context.Target;
        if (target == ForecastTarget.Cost)
        {
            yield break;
        }

        foreach (var (_, series) in context.Series.Where(s => s.Key is { Project: SeriesKey.All }))
        {
            var week = series.Points.Take(Horizon.PlanningWeek).ToList();
            var peak = week.MaxBy(p => p.P90)!;
            var average = week.Average(p => p.P50);
            if (average <= 0)
            {
                continue;
            }

            var ratio = peak.P90 / average;
            yield return new Recommendation(
                RecommendationKind.Capacity,
                ratio > 3 ? Severity.Warning : Severity.Info,
                series.Series,
                $"Provision {target.Format(peak.P90)}/h for {series.Series} at its peak, {peak.Hour.UtcDateTime.ToString("ddd dd MMM HH:00", C)} UTC",
                $"p90 of the peak hour is {ratio:0.0}× the week's average p50 ({target.Format(average)}/h); sizing for the average would leave {(1 - (1 / ratio)):P0} of the peak unserved.");
        }
    }
}
