using System.Globalization;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning.Recommendations;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;

namespace Forecasting.Core.Planning;

/// <summary>
/// Turns a forecast (tokens, requests or cost) into cost, summaries and recommendations. Every
/// recommendation carries its numbers, in the target's unit, and the reason, so a reader can check it.
/// Each kind of recommendation is one <see cref="IRecommendationRule"/>; the plan lists them in <see cref="Rules"/>' order.
/// </summary>
public sealed class Planner(PlanningSettings settings)
{
    private static readonly TimeSpan PriceMixWindow = TimeSpan.FromDays(28);
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private const int Week = Horizon.PlanningWeek;

    /// <summary>Every kind of recommendation, in the order the plan shows them: a new recommendation is one class added here.</summary>
    private static readonly IReadOnlyList<IRecommendationRule> Rules =
    [
        new CapacityRule(),
        new BudgetRule(),
        new CheaperModelRule(),
        new RateLimitRule(),
        new AnomalyRule(),
        new ModelHealthRule(),
    ];

    public Plan Build(PlanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var prices = settings.PriceTable;
        var forecast = input.Forecast;
        var target = input.Target;
        var money = new MoneyFormat(settings.Currency, settings.PerUsd);
        // The forecast names its series in text; they are keys from here on.
        var series = forecast.Series.Select(s => new KeyedForecast(s.Key, s)).ToList();
        var warnings = new List<string>();
        var recent = input.Usage.Where(r => r.Hour > forecast.Origin - PriceMixWindow).ToList();
        var leafPrice = recent.GroupBy(r => new SeriesKey(r.Project, r.Model))
            .ToDictionary(g => g.Key, g => UnitPrices.Blended(g, prices, target));
        // A model the table does not price is priced at the cost its source reported (cost_usd) per unit, when it did.
        var fromReported = new HashSet<SeriesKey>();
        if (target != ForecastTarget.Cost)
        {
            foreach (var g in recent.GroupBy(r => new SeriesKey(r.Project, r.Model)).Where(g => leafPrice[g.Key] is null && !prices.TryGet(g.First().Model, out _)))
            {
                if (UnitPrices.Reported(g, target) is { } reported)
                {
                    leafPrice[g.Key] = reported;
                    fromReported.Add(g.Key);
                }
            }

            foreach (var model in recent.Select(r => r.Model).Distinct().Where(m => !prices.TryGet(m, out _)).Order(StringComparer.Ordinal))
            {
                var leaves = leafPrice.Keys.Where(k => k.Model == model).ToList();
                warnings.Add(leaves.Count > 0 && leaves.All(fromReported.Contains)
                    ? $"model '{model}' has no price in table {prices.Version}: its cost is from reported cost (the cost_usd its source reported per {target.Unit()} over the last {PriceMixWindow.TotalDays:0} days)"
                    : $"model '{model}' has no price in table {prices.Version}: its cost, and every total containing it, is unknown (not zero)");
            }

            warnings.AddRange(CostMismatches(recent, prices, money));
        }

        var costByKey = new Dictionary<SeriesKey, SeriesCost>();
        foreach (var (key, s) in series.Where(s => s.Key.IsLeaf))
        {
            costByKey[key] = LeafCost(key, s, target, leafPrice) with { FromReportedCost = fromReported.Contains(key) };
        }

        var leafCosts = costByKey.ToList();
        var byKey = PlanContext.ByKey(series);
        foreach (var (key, rollup) in series.Where(s => !s.Key.IsLeaf))
        {
            costByKey[key] = RollupCost(key, rollup, target, leafCosts, byKey) with
            {
                FromReportedCost = leafCosts.Any(c => c.Value.FromReportedCost && key.Contains(c.Key)),
            };
        }

        var costs = series.Select(s => costByKey[s.Key]).ToList();
        // Each series' history and its leaves' last-week cost looked up, not searched for: a scan of every series and every
        // usage row per series took minutes at 1,000 series (and hours at 10,000).
        var histories = new Dictionary<SeriesKey, HourlySeries>();
        foreach (var h in input.History)
        {
            histories.TryAdd(h.Key, h);
        }

        var lastWeekCosts = LastWeekCosts(input, prices);
        var summaries = series.Select(s => Summarize(s, costByKey[s.Key], histories, lastWeekCosts)).ToList();
        var daily = Daily(series, costByKey, input.DailyBands);
        var context = new PlanContext(input, settings, recent, series, costByKey);
        var recommendations = Rules.SelectMany(rule => rule.Recommend(context)).ToList();
        return new Plan(forecast, costs, summaries, daily, recommendations, warnings, settings.Currency, settings.PerUsd);
    }

    /// <summary>
    /// Priced models whose reported cost (cost_usd) over the recent window differs from the table's price of the same
    /// rows by more than <see cref="PlanningSettings.CostMismatchShare"/>: a price table out of date is a finding.
    /// </summary>
    private IEnumerable<string> CostMismatches(List<HourlyUsage> recent, PriceTable prices, MoneyFormat money)
    {
        foreach (var g in recent.Where(r => r.CostUsd is not null && prices.TryGet(r.Model, out _)).GroupBy(r => r.Model).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var reported = g.Sum(r => r.CostUsd!.Value);
            var priced = g.Sum(r => prices.Cost(r)!.Value);
            if (priced <= 0 && reported <= 0)
            {
                continue;
            }

            var difference = priced > 0 ? (reported - priced) / priced : double.PositiveInfinity;
            if (Math.Abs(difference) > settings.CostMismatchShare)
            {
                yield return $"model '{g.Key}': its source reported {money.Money(reported)} over the last {PriceMixWindow.TotalDays:0} days where price table {prices.Version} gives {money.Money(priced)} ({(double.IsInfinity(difference) ? "priced at zero" : difference.ToString("+0%;-0%", C))}, more than {settings.CostMismatchShare:P0}): the price table may be out of date";
            }
        }
    }

    private static SeriesCost LeafCost(SeriesKey key, SeriesForecast series, ForecastTarget target, Dictionary<SeriesKey, double?> leafPrice)
    {
        var price = target == ForecastTarget.Cost ? 1 : leafPrice.GetValueOrDefault(key);
        return price is { } p
            ? new SeriesCost(series.Series, target == ForecastTarget.Cost ? null : p * 1e6, [.. series.Points.Select(x => new CostPoint(x.Hour, x.P10 * p, x.P50 * p, x.P90 * p))], [])
            : new SeriesCost(series.Series, null, [], [key.Model]);
    }

    /// <summary>
    /// A roll-up's median cost is the sum of its leaves' (as its median forecast is the sum of theirs).
    /// Its band is not the sum of the leaves' bands (that assumes every leaf misses the same way at once):
    /// it is the roll-up's own calibrated forecast band, priced at the hour's blended price of its leaves'
    /// medians. The approximation: within an hour the mix of models is the median's mix.
    /// </summary>
    private static SeriesCost RollupCost(SeriesKey key, SeriesForecast rollup, ForecastTarget target, List<KeyValuePair<SeriesKey, SeriesCost>> leaves, Dictionary<SeriesKey, SeriesForecast> forecasts)
    {
        var members = leaves.Where(c => key.Contains(c.Key)).ToList();
        var unpriced = members.SelectMany(m => m.Value.UnpricedModels).Distinct().ToList();
        if (members.Count == 0 || unpriced.Count > 0)
        {
            return new SeriesCost(rollup.Series, null, [], unpriced);
        }

        if (target == ForecastTarget.Cost)
        {
            return new SeriesCost(rollup.Series, null, [.. rollup.Points.Select(p => new CostPoint(p.Hour, p.P10, p.P50, p.P90))], []);
        }

        var leafUnits = members.Select(m => forecasts[m.Key].Points.ToDictionary(p => p.Hour, p => p.P50)).ToList();
        var costP50 = members.SelectMany(m => m.Value.Points).GroupBy(p => p.Hour).ToDictionary(g => g.Key, g => g.Sum(p => p.P50));
        var points = new List<CostPoint>();
        double totalCost = 0, totalUnits = 0;
        foreach (var point in rollup.Points)
        {
            var units = leafUnits.Sum(l => l.GetValueOrDefault(point.Hour));
            var cost = costP50.GetValueOrDefault(point.Hour);
            var rate = units > 0 ? cost / units : members.Average(m => m.Value.UsdPerMillion!.Value / 1e6);
            points.Add(new CostPoint(point.Hour, Math.Min(point.P10 * rate, cost), cost, Math.Max(point.P90 * rate, cost)));
            totalCost += cost;
            totalUnits += units;
        }

        return new SeriesCost(rollup.Series, totalUnits > 0 ? totalCost / totalUnits * 1e6 : null, points, []);
    }

    /// <summary>
    /// Days: the p50 totals add up; the cost band of a day is its p50 times the series' backtested
    /// band of whole-day totals (hourly errors within a day are neither independent nor all alike, so
    /// neither the root-sum-square nor the sum of hourly quantiles is right). Without a backtested band,
    /// the sum of the hourly quantiles, which is wider than the truth.
    /// </summary>
    private static List<DailyTotal> Daily(List<KeyedForecast> forecast, Dictionary<SeriesKey, SeriesCost> costs, IReadOnlyDictionary<string, (double Low, double High)> bands)
    {
        var result = new List<DailyTotal>();
        foreach (var (key, series) in forecast)
        {
            var cost = costs[key];
            var costByHour = cost.Points.ToDictionary(p => p.Hour);
            var known = cost.Known && cost.Points.Count > 0;
            foreach (var day in series.Points.GroupBy(p => DateOnly.FromDateTime(p.Hour.UtcDateTime)))
            {
                var hours = day.Select(p => costByHour.GetValueOrDefault(p.Hour)).Where(p => p is not null).ToList();
                double? p50 = known ? hours.Sum(p => p!.P50) : null;
                double? p10 = null, p90 = null;
                if (known && bands.TryGetValue(series.Series, out var band))
                {
                    p10 = Math.Min(p50!.Value * band.Low, p50.Value);
                    p90 = Math.Max(p50.Value * band.High, p50.Value);
                }
                else if (known)
                {
                    p10 = hours.Sum(p => p!.P10);
                    p90 = hours.Sum(p => p!.P90);
                }

                result.Add(new DailyTotal(series.Series, day.Key, day.Sum(p => p.P50), p50, p10, p90));
            }
        }

        return result;
    }

    /// <summary>
    /// Per series (each leaf and each roll-up containing it), the cost of its usage rows in the week before the origin, in
    /// row order: reported cost where the source gave it, else priced; null if any row is neither.
    /// </summary>
    private static Dictionary<SeriesKey, double?> LastWeekCosts(PlanInput input, PriceTable prices)
    {
        // Every series a row adds into (its leaf and its three roll-ups), summed in row order from 0: the same
        // additions, in the same order, as the per-series scan this replaces.
        var costs = new Dictionary<SeriesKey, double?>();
        var since = input.Forecast.Origin.AddHours(-Week);
        var into = new SeriesKey[4];
        foreach (var r in input.Usage)
        {
            if (r.Hour > since)
            {
                var cost = r.CostUsd ?? prices.Cost(r);
                into[0] = new SeriesKey(r.Project, r.Model);
                into[1] = new SeriesKey(r.Project, SeriesKey.All);
                into[2] = new SeriesKey(SeriesKey.All, r.Model);
                into[3] = SeriesKey.Total;
                for (var i = 0; i < 4; i++)
                {
                    if (Array.IndexOf(into, into[i], 0, i) >= 0)
                    {
                        continue;
                    }

                    var sum = costs.TryGetValue(into[i], out var s) ? s : 0;
                    costs[into[i]] = sum is null || cost is null ? null : sum + cost;
                }
            }
        }

        return costs;
    }

    private static SeriesSummary Summarize(KeyedForecast keyed, SeriesCost cost, Dictionary<SeriesKey, HourlySeries> histories, Dictionary<SeriesKey, double?> lastWeekCosts)
    {
        var (key, series) = keyed;
        var week = series.Points.Take(Week).ToList();
        var history = histories.GetValueOrDefault(key);
        double? lastWeek = null;
        if (history is not null && history.Length >= Week)
        {
            var tail = history.Values[^Week..];
            lastWeek = tail.Count(double.IsNaN) > 24 ? null : tail.Where(v => !double.IsNaN(v)).Sum() * (double)Week / tail.Count(v => !double.IsNaN(v));
        }

        // Reported cost where the source gave it, else priced; unknown if any row is neither; 0 without rows.
        var lastWeekCost = lastWeekCosts.TryGetValue(key, out var known) ? known : 0;

        var peak = week.MaxBy(p => p.P50)!;
        return new SeriesSummary(
            key,
            series.Model,
            week.Sum(p => p.P50),
            lastWeek,
            cost.Points.Count > 0 ? cost.Points.Take(Week).Sum(p => p.P50) : null,
            lastWeekCost,
            peak.Hour,
            peak.P50,
            week.Max(p => p.P90),
            week.Average(p => p.P50));
    }
}
