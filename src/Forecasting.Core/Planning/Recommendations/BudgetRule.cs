using System.Globalization;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;

namespace Forecasting.Core.Planning.Recommendations;

/// <summary>
/// Per project with a monthly budget: the month's spend so far plus the forecast's median cost (and, past the forecast, its
/// last week repeated hour of week by hour of week) against the budget, with the day it is crossed.
/// </summary>
internal sealed class BudgetRule : IRecommendationRule
{
    private const int Week = Horizon.PlanningWeek;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public IEnumerable<Recommendation> Recommend(PlanContext context)
    {
        var input = context.Input;
        var prices = context.Prices;
        var money = context.Money;
        var origin = input.Forecast.Origin;
        var monthStart = new DateTimeOffset(origin.Year, origin.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var monthEnd = monthStart.AddMonths(1);
        foreach (var (project, budget) in context.Settings.BudgetsUsdPerMonth.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            if (!context.Costs.TryGetValue(new SeriesKey(project, SeriesKey.All), out var cost) || cost.Points.Count == 0)
            {
                continue;
            }

            var spent = input.Usage.Where(r => r.Project == project && r.Hour >= monthStart && r.Hour <= origin)
                .Sum(r => r.CostUsd ?? prices.Cost(r) ?? 0);
            var running = spent;
            DateTimeOffset? crossing = null;
            foreach (var point in cost.Points.Where(p => p.Hour < monthEnd))
            {
                running += point.P50;
                if (crossing is null && running > budget)
                {
                    crossing = point.Hour;
                }
            }

            var forecastAdds = running - spent;
            var covered = cost.Points.Count(p => p.Hour < monthEnd);
            // Past the forecast, the forecast's own last week carries on hour of week by hour of week
            // (weekdays and weekends as forecast), so the crossing day is an extrapolation, and said to be.
            var profile = cost.Points.TakeLast(Math.Min(Week, cost.Points.Count)).ToDictionary(p => HourOfWeek(p.Hour), p => p.P50);
            var daily = cost.Points.TakeLast(Math.Min(24, cost.Points.Count)).ToDictionary(p => p.Hour.Hour, p => p.P50);
            var extrapolated = false;
            var lastHour = cost.Points[^1].Hour;
            for (var hour = lastHour.AddHours(1); hour < monthEnd; hour = hour.AddHours(1))
            {
                running += profile.TryGetValue(HourOfWeek(hour), out var v) ? v : daily.GetValueOrDefault(hour.Hour);
                if (crossing is null && running > budget)
                {
                    crossing = hour;
                    extrapolated = true;
                }
            }

            var projected = running;
            if (spent > budget)
            {
                yield return new Recommendation(RecommendationKind.Budget, Severity.Critical, project,
                    $"{project} has already spent {money.Money(spent)} of its {money.Money(budget)} monthly budget",
                    $"month to {origin.UtcDateTime.ToString("dd MMM HH:00", C)} UTC; at the forecast p50 the month ends near {money.Money(projected)}.");
                continue;
            }

            var share = projected / budget;
            var severity = crossing is null ? (share > 0.9 ? Severity.Warning : Severity.Info) : Severity.Critical;
            var title = crossing is { } when
                ? $"{project} crosses its {money.Money(budget)} monthly budget on {when.UtcDateTime.ToString("ddd dd MMM", C)}{(extrapolated ? " (extrapolated past the forecast)" : "")}"
                : $"{project} stays within its {money.Money(budget)} monthly budget ({share:P0} projected)";
            var tail = RemainingNote(monthEnd, lastHour);
            yield return new Recommendation(RecommendationKind.Budget, severity, project, title,
                $"spent {money.Money(spent)} this month to {origin.UtcDateTime.ToString("dd MMM HH:00", C)} UTC; forecast p50 adds {money.Money(forecastAdds)} over the next {covered} h; projected month total {money.Money(projected)}{tail}.");
        }
    }

    private static string RemainingNote(DateTimeOffset monthEnd, DateTimeOffset lastHour) =>
        lastHour.AddHours(1) < monthEnd
            ? $" (the {(monthEnd - lastHour).TotalDays - (1 / 24.0):0.#} days after the forecast repeat its last week hour by hour)"
            : "";

    private static int HourOfWeek(DateTimeOffset hour) => ((int)hour.UtcDateTime.DayOfWeek * 24) + hour.UtcDateTime.Hour;
}
