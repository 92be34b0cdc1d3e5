using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;

namespace Forecasting.Core.Planning.Recommendations;

/// <summary>
/// Per project: what moving a share (<see cref="PlanningSettings.SwitchShare"/>) of its most expensive model's traffic to the
/// cheapest priced model at the same input/cached/output mix saves a week; the largest saving first.
/// </summary>
internal sealed class CheaperModelRule : IRecommendationRule
{
    private const int Week = Horizon.PlanningWeek;

    public IEnumerable<Recommendation> Recommend(PlanContext context)
    {
        var target = context.Target;
        var costs = context.Costs;
        var prices = context.Prices;
        var money = context.Money;
        var switchShare = context.Settings.SwitchShare;
        var candidates = new List<(double Saving, Recommendation Recommendation)>();
        // The recent rows of each leaf, grouped once (not searched for per project: minutes at 1,000 series).
        var rowsOf = context.Recent.GroupBy(r => new SeriesKey(r.Project, r.Model)).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var project in context.Series.Select(s => s.Key).Where(k => k.IsLeaf).GroupBy(k => k.Project))
        {
            var leaves = project.Where(k => costs[k].Points.Count > 0).ToList();
            if (leaves.Count == 0)
            {
                continue;
            }

            var expensive = leaves.MaxBy(k => costs[k].Points.Take(Week).Sum(p => p.P50));
            var rows = rowsOf.GetValueOrDefault(expensive) ?? [];
            var weekCost = costs[expensive].Points.Take(Week).Sum(p => p.P50);
            // Prices per token of this project's input/cached/output mix on each model.
            if (UnitPrices.Blended(rows, prices, ForecastTarget.Tokens) is not { } current || current <= 0)
            {
                continue;
            }

            // The cheapest priced model for the same mix; the project's own models first.
            var cheaper = prices.Models
                .Select(m => (Model: m, Price: UnitPrices.Blended(rows.Select(r => r with { Model = m }), prices, ForecastTarget.Tokens)))
                .Where(x => x.Price is not null && x.Model != expensive.Model)
                .OrderBy(x => project.Any(k => k.Model == x.Model) ? 0 : 1)
                .ThenBy(x => x.Price)
                .FirstOrDefault();
            if (cheaper.Model is null || cheaper.Price >= current)
            {
                continue;
            }

            var saving = switchShare * weekCost * (1 - (cheaper.Price!.Value / current));
            candidates.Add((saving, new Recommendation(RecommendationKind.Cost, saving > 100 ? Severity.Warning : Severity.Info, expensive.ToString(),
                $"Moving {switchShare:P0} of {expensive.Project}'s {expensive.Model} traffic to {cheaper.Model} saves {money.Money(saving)} a week",
                $"next week's {expensive.Model} traffic{(target == ForecastTarget.Cost ? "" : $" ({target.Format(context.Find(expensive)!.Points.Take(Week).Sum(p => p.P50))})")} costs {money.Money(weekCost)}; at this project's input/cached/output mix it costs {money.PerMillion(current)} per million tokens, {cheaper.Model} {money.PerMillion(cheaper.Price.Value)} (price table {prices.Version}); check quality on that share first.")));
        }

        return candidates.OrderByDescending(c => c.Saving).Select(c => c.Recommendation);
    }
}
