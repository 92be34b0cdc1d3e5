using System.Globalization;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;

namespace Forecasting.Core.Planning;

/// <summary>
/// Turns a forecast (tokens, requests or cost) into cost, summaries and recommendations. Every
/// recommendation carries its numbers, in the target's unit, and the reason, so a reader can check it.
/// </summary>
public sealed class Planner(PlanningSettings settings)
{
    private static readonly TimeSpan PriceMixWindow = TimeSpan.FromDays(28);
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private const int Week = Horizon.PlanningWeek;

    public Plan Build(PlanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var prices = settings.PriceTable;
        var forecast = input.Forecast;
        var target = input.Target;
        var warnings = new List<string>();
        var recent = input.Usage.Where(r => r.Hour > forecast.Origin - PriceMixWindow).ToList();
        var leafPrice = recent.GroupBy(r => new SeriesKey(r.Project, r.Model).ToString())
            .ToDictionary(g => g.Key, g => BlendedPrice(g, prices, target));
        // A model the table does not price is priced at the cost its source reported (cost_usd) per unit, when it did.
        var fromReported = new HashSet<string>(StringComparer.Ordinal);
        if (target != ForecastTarget.Cost)
        {
            foreach (var g in recent.GroupBy(r => new SeriesKey(r.Project, r.Model).ToString()).Where(g => leafPrice[g.Key] is null && !prices.TryGet(g.First().Model, out _)))
            {
                if (ReportedPrice(g, target) is { } reported)
                {
                    leafPrice[g.Key] = reported;
                    fromReported.Add(g.Key);
                }
            }

            foreach (var model in recent.Select(r => r.Model).Distinct().Where(m => !prices.TryGet(m, out _)).Order(StringComparer.Ordinal))
            {
                var leaves = leafPrice.Keys.Where(k => SeriesKey.Parse(k).Model == model).ToList();
                warnings.Add(leaves.Count > 0 && leaves.All(fromReported.Contains)
                    ? $"model '{model}' has no price in table {prices.Version}: its cost is from reported cost (the cost_usd its source reported per {target.Unit()} over the last {PriceMixWindow.TotalDays:0} days)"
                    : $"model '{model}' has no price in table {prices.Version}: its cost, and every total containing it, is unknown (not zero)");
            }

            warnings.AddRange(CostMismatches(recent, prices));
        }

        var costByKey = new Dictionary<string, SeriesCost>();
        foreach (var s in forecast.Series.Where(s => SeriesKey.Parse(s.Series).IsLeaf))
        {
            costByKey[s.Series] = LeafCost(s, target, leafPrice) with { FromReportedCost = fromReported.Contains(s.Series) };
        }

        var leafCosts = costByKey.Values.ToList();
        foreach (var rollup in forecast.Series.Where(s => !SeriesKey.Parse(s.Series).IsLeaf))
        {
            var rollupKey = SeriesKey.Parse(rollup.Series);
            costByKey[rollup.Series] = RollupCost(rollup, target, leafCosts, forecast) with
            {
                FromReportedCost = leafCosts.Any(c => c.FromReportedCost && rollupKey.Contains(SeriesKey.Parse(c.Series))),
            };
        }

        var costs = forecast.Series.Select(s => costByKey[s.Series]).ToList();
        // Each series' history and its leaves' last-week cost looked up, not searched for: a scan of every series and every
        // usage row per series took minutes at 1,000 series (and hours at 10,000).
        var histories = new Dictionary<string, HourlySeries>(StringComparer.Ordinal);
        foreach (var h in input.History)
        {
            histories.TryAdd(h.Key.ToString(), h);
        }

        var lastWeekCosts = LastWeekCosts(input, prices);
        var summaries = forecast.Series.Select(s => Summarize(s, costByKey[s.Series], input, histories, lastWeekCosts)).ToList();
        var daily = Daily(forecast, costByKey, input.DailyBands);
        var recommendations = new List<Recommendation>();
        if (target != ForecastTarget.Cost)
        {
            // Capacity is provisioned in tokens or requests; a cost forecast has nothing to provision.
            Capacity(forecast, target, recommendations);
        }

        Budgets(input, costByKey, prices, recommendations);
        CheaperModels(forecast, target, costByKey, leafPrice, recent, prices, recommendations);
        RateLimits(forecast, target, recent, prices, recommendations);
        Anomalies(input, recommendations);
        Health(input, recommendations);
        return new Plan(forecast, target, costs, summaries, daily, recommendations, warnings, settings.Currency, settings.PerUsd);
    }

    /// <summary>
    /// USD per unit of the target (token or request) of a leaf's recent traffic, priced from the table;
    /// null when the model has no price or the rows have no units. A cost forecast is 1 USD per USD.
    /// </summary>
    private static double? BlendedPrice(IEnumerable<HourlyUsage> rows, PriceTable prices, ForecastTarget target)
    {
        if (target == ForecastTarget.Cost)
        {
            return 1;
        }

        double cost = 0, units = 0;
        foreach (var row in rows)
        {
            if (prices.Cost(row) is not { } c)
            {
                return null;
            }

            cost += c;
            units += target == ForecastTarget.Requests ? row.Requests : row.TotalTokens;
        }

        return units > 0 ? cost / units : null;
    }

    /// <summary>USD per unit of the target that the source reported (cost_usd) for a leaf's recent rows; null without reported cost or units.</summary>
    private static double? ReportedPrice(IEnumerable<HourlyUsage> rows, ForecastTarget target)
    {
        double cost = 0, units = 0;
        foreach (var row in rows.Where(r => r.CostUsd is not null))
        {
            cost += row.CostUsd!.Value;
            units += target == ForecastTarget.Requests ? row.Requests : row.TotalTokens;
        }

        return units > 0 ? cost / units : null;
    }

    /// <summary>
    /// Priced models whose reported cost (cost_usd) over the recent window differs from the table's price of the same
    /// rows by more than <see cref="PlanningSettings.CostMismatchShare"/>: a price table out of date is a finding.
    /// </summary>
    private IEnumerable<string> CostMismatches(List<HourlyUsage> recent, PriceTable prices)
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
                yield return $"model '{g.Key}': its source reported {Money(reported)} over the last {PriceMixWindow.TotalDays:0} days where price table {prices.Version} gives {Money(priced)} ({(double.IsInfinity(difference) ? "priced at zero" : difference.ToString("+0%;-0%", C))}, more than {settings.CostMismatchShare:P0}): the price table may be out of date";
            }
        }
    }

    private static SeriesCost LeafCost(SeriesForecast series, ForecastTarget target, Dictionary<string, double?> leafPrice)
    {
        var price = target == ForecastTarget.Cost ? 1 : leafPrice.GetValueOrDefault(series.Series);
        return price is { } p
            ? new SeriesCost(series.Series, target == ForecastTarget.Cost ? null : p * 1e6, [.. series.Points.Select(x => new CostPoint(x.Hour, x.P10 * p, x.P50 * p, x.P90 * p))], [])
            : new SeriesCost(series.Series, null, [], [SeriesKey.Parse(series.Series).Model]);
    }

    /// <summary>
    /// A roll-up's median cost is the sum of its leaves' (as its median forecast is the sum of theirs).
    /// Its band is not the sum of the leaves' bands (that assumes every leaf misses the same way at once):
    /// it is the roll-up's own calibrated forecast band, priced at the hour's blended price of its leaves'
    /// medians. The approximation: within an hour the mix of models is the median's mix.
    /// </summary>
    private static SeriesCost RollupCost(SeriesForecast rollup, ForecastTarget target, List<SeriesCost> leaves, ForecastRun forecast)
    {
        var key = SeriesKey.Parse(rollup.Series);
        var members = leaves.Where(c => key.Contains(SeriesKey.Parse(c.Series))).ToList();
        var unpriced = members.SelectMany(m => m.UnpricedModels).Distinct().ToList();
        if (members.Count == 0 || unpriced.Count > 0)
        {
            return new SeriesCost(rollup.Series, null, [], unpriced);
        }

        if (target == ForecastTarget.Cost)
        {
            return new SeriesCost(rollup.Series, null, [.. rollup.Points.Select(p => new CostPoint(p.Hour, p.P10, p.P50, p.P90))], []);
        }

        var leafUnits = members.Select(m => forecast.Find(m.Series)!.Points.ToDictionary(p => p.Hour, p => p.P50)).ToList();
        var costP50 = members.SelectMany(m => m.Points).GroupBy(p => p.Hour).ToDictionary(g => g.Key, g => g.Sum(p => p.P50));
        var points = new List<CostPoint>();
        double totalCost = 0, totalUnits = 0;
        foreach (var point in rollup.Points)
        {
            var units = leafUnits.Sum(l => l.GetValueOrDefault(point.Hour));
            var cost = costP50.GetValueOrDefault(point.Hour);
            var rate = units > 0 ? cost / units : members.Average(m => m.UsdPerMillion!.Value / 1e6);
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
    private static List<DailyTotal> Daily(ForecastRun forecast, Dictionary<string, SeriesCost> costs, IReadOnlyDictionary<string, (double Low, double High)> bands)
    {
        var result = new List<DailyTotal>();
        foreach (var series in forecast.Series)
        {
            var cost = costs[series.Series];
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

    private static SeriesSummary Summarize(SeriesForecast series, SeriesCost cost, PlanInput input, Dictionary<string, HourlySeries> histories, Dictionary<SeriesKey, double?> lastWeekCosts)
    {
        var week = series.Points.Take(Week).ToList();
        var history = histories.GetValueOrDefault(series.Series);
        double? lastWeek = null;
        if (history is not null && history.Length >= Week)
        {
            var tail = history.Values[^Week..];
            lastWeek = tail.Count(double.IsNaN) > 24 ? null : tail.Where(v => !double.IsNaN(v)).Sum() * (double)Week / tail.Count(v => !double.IsNaN(v));
        }

        var key = SeriesKey.Parse(series.Series);
        // Reported cost where the source gave it, else priced; unknown if any row is neither; 0 without rows.
        var lastWeekCost = lastWeekCosts.TryGetValue(key, out var known) ? known : 0;

        var peak = week.MaxBy(p => p.P50)!;
        return new SeriesSummary(
            series.Series,
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

    private static void Capacity(ForecastRun forecast, ForecastTarget target, List<Recommendation> output)
    {
        foreach (var series in forecast.Series.Where(s => SeriesKey.Parse(s.Series) is { Project: SeriesKey.All }))
        {
            var week = series.Points.Take(Week).ToList();
            var peak = week.MaxBy(p => p.P90)!;
            var average = week.Average(p => p.P50);
            if (average <= 0)
            {
                continue;
            }

            var ratio = peak.P90 / average;
            output.Add(new Recommendation(
                RecommendationKind.Capacity,
                ratio > 3 ? Severity.Warning : Severity.Info,
                series.Series,
                $"Provision {target.Format(peak.P90)}/h for {series.Series} at its peak, {peak.Hour.UtcDateTime.ToString("ddd dd MMM HH:00", C)} UTC",
                $"p90 of the peak hour is {ratio:0.0}× the week's average p50 ({target.Format(average)}/h); sizing for the average would leave {(1 - (1 / ratio)):P0} of the peak unserved."));
        }
    }

    private void Budgets(PlanInput input, Dictionary<string, SeriesCost> costs, PriceTable prices, List<Recommendation> output)
    {
        var origin = input.Forecast.Origin;
        var monthStart = new DateTimeOffset(origin.Year, origin.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var monthEnd = monthStart.AddMonths(1);
        foreach (var (project, budget) in settings.BudgetsUsdPerMonth.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var key = new SeriesKey(project, SeriesKey.All).ToString();
            if (!costs.TryGetValue(key, out var cost) || cost.Points.Count == 0)
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
                output.Add(new Recommendation(RecommendationKind.Budget, Severity.Critical, project,
                    $"{project} has already spent {Money(spent)} of its {Money(budget)} monthly budget",
                    $"month to {origin.UtcDateTime.ToString("dd MMM HH:00", C)} UTC; at the forecast p50 the month ends near {Money(projected)}."));
                continue;
            }

            var share = projected / budget;
            var severity = crossing is null ? (share > 0.9 ? Severity.Warning : Severity.Info) : Severity.Critical;
            var title = crossing is { } when
                ? $"{project} crosses its {Money(budget)} monthly budget on {when.UtcDateTime.ToString("ddd dd MMM", C)}{(extrapolated ? " (extrapolated past the forecast)" : "")}"
                : $"{project} stays within its {Money(budget)} monthly budget ({share:P0} projected)";
            var tail = RemainingNote(covered, monthEnd, lastHour);
            output.Add(new Recommendation(RecommendationKind.Budget, severity, project, title,
                $"spent {Money(spent)} this month to {origin.UtcDateTime.ToString("dd MMM HH:00", C)} UTC; forecast p50 adds {Money(forecastAdds)} over the next {covered} h; projected month total {Money(projected)}{tail}."));
        }

        static string RemainingNote(int covered, DateTimeOffset monthEnd, DateTimeOffset lastHour) =>
            lastHour.AddHours(1) < monthEnd
                ? $" (the {(monthEnd - lastHour).TotalDays - (1 / 24.0):0.#} days after the forecast repeat its last week hour by hour)"
                : "";
    }

    private static int HourOfWeek(DateTimeOffset hour) => ((int)hour.UtcDateTime.DayOfWeek * 24) + hour.UtcDateTime.Hour;

    private void CheaperModels(ForecastRun forecast, ForecastTarget target, Dictionary<string, SeriesCost> costs, Dictionary<string, double?> leafPrice, List<HourlyUsage> recent, PriceTable prices, List<Recommendation> output)
    {
        var candidates = new List<(double Saving, Recommendation Recommendation)>();
        // The recent rows of each leaf, grouped once (not searched for per project: minutes at 1,000 series).
        var rowsOf = recent.GroupBy(r => new SeriesKey(r.Project, r.Model)).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var project in forecast.Series.Select(s => SeriesKey.Parse(s.Series)).Where(k => k.IsLeaf).GroupBy(k => k.Project))
        {
            var leaves = project.Where(k => costs[k.ToString()].Points.Count > 0).ToList();
            if (leaves.Count == 0)
            {
                continue;
            }

            var expensive = leaves.MaxBy(k => costs[k.ToString()].Points.Take(Week).Sum(p => p.P50));
            var rows = rowsOf.GetValueOrDefault(expensive) ?? [];
            var weekCost = costs[expensive.ToString()].Points.Take(Week).Sum(p => p.P50);
            // Prices per token of this project's input/cached/output mix on each model.
            if (BlendedPrice(rows, prices, ForecastTarget.Tokens) is not { } current || current <= 0)
            {
                continue;
            }

            // The cheapest priced model for the same mix; the project's own models first.
            var cheaper = prices.Models
                .Select(m => (Model: m, Price: BlendedPrice(rows.Select(r => r with { Model = m }), prices, ForecastTarget.Tokens)))
                .Where(x => x.Price is not null && x.Model != expensive.Model)
                .OrderBy(x => project.Any(k => k.Model == x.Model) ? 0 : 1)
                .ThenBy(x => x.Price)
                .FirstOrDefault();
            if (cheaper.Model is null || cheaper.Price >= current)
            {
                continue;
            }

            var saving = settings.SwitchShare * weekCost * (1 - (cheaper.Price!.Value / current));
            candidates.Add((saving, new Recommendation(RecommendationKind.Cost, saving > 100 ? Severity.Warning : Severity.Info, expensive.ToString(),
                $"Moving {settings.SwitchShare:P0} of {expensive.Project}'s {expensive.Model} traffic to {cheaper.Model} saves {Money(saving)} a week",
                $"next week's {expensive.Model} traffic{(target == ForecastTarget.Cost ? "" : $" ({target.Format(forecast.Find(expensive.ToString())!.Points.Take(Week).Sum(p => p.P50))})")} costs {Money(weekCost)}; at this project's input/cached/output mix it costs {PerMillion(current)} per million tokens, {cheaper.Model} {PerMillion(cheaper.Price.Value)} (price table {prices.Version}); check quality on that share first.")));
        }

        output.AddRange(candidates.OrderByDescending(c => c.Saving).Select(c => c.Recommendation));
    }

    private void RateLimits(ForecastRun forecast, ForecastTarget target, List<HourlyUsage> recent, PriceTable prices, List<Recommendation> output)
    {
        // The forecast's unit per request (tokens, 1 request, or USD), from recent usage.
        var unitsPerRequest = recent.Where(r => r.Requests > 0).GroupBy(r => new SeriesKey(r.Project, r.Model).ToString())
            .Select(g => (Key: g.Key, Units: target switch
            {
                ForecastTarget.Requests => (double?)1,
                ForecastTarget.Cost => g.Select(r => r.CostUsd ?? prices.Cost(r)).Aggregate((double?)0, (s, c) => s is null || c is null ? null : s + c) / g.Sum(r => r.Requests),
                _ => (double)g.Sum(r => r.TotalTokens) / g.Sum(r => r.Requests),
            }))
            .Where(x => x.Units is > 0)
            .ToDictionary(x => x.Key, x => x.Units!.Value);
        foreach (var (model, limit) in settings.RateLimitsRpm.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var leaves = forecast.Series.Where(s => SeriesKey.Parse(s.Series) is { IsLeaf: true } k && k.Model == model && unitsPerRequest.ContainsKey(s.Series)).ToList();
            if (leaves.Count == 0)
            {
                if (recent.Any(r => r.Model == model) && recent.Where(r => r.Model == model).All(r => r.Requests == 0))
                {
                    // Sources that report no request counts (the relay's documented answer has none) leave the limit unchecked, and say so.
                    output.Add(new Recommendation(RecommendationKind.RateLimit, Severity.Info, model,
                        $"{model}'s {limit:N0} requests/min limit cannot be checked: its usage has no request counts",
                        "the source reported tokens but no requests for this model over the recent window; collect from a source that reports requests (or a request log) to check the limit."));
                }

                continue;
            }

            var perHour = leaves.SelectMany(s => s.Points.Select(p => (p.Hour, Requests: p.P90 / unitsPerRequest[s.Series])))
                .GroupBy(x => x.Hour).Select(g => (Hour: g.Key, Rpm: g.Sum(x => x.Requests) / 60)).ToList();
            var peak = perHour.MaxBy(x => x.Rpm);
            var use = peak.Rpm / limit;
            var how = target == ForecastTarget.Requests
                ? "p90 requests of the peak hour"
                : $"p90 {target.Unit()} of the peak hour over recent {target.Unit()} per request";
            output.Add(new Recommendation(RecommendationKind.RateLimit, use >= 1 ? Severity.Critical : use >= 0.8 ? Severity.Warning : Severity.Info, model,
                use >= 0.8
                    ? $"{model} reaches {use:P0} of its {limit:N0} requests/min limit at {peak.Hour.UtcDateTime.ToString("ddd HH:00", C)} UTC: raise the limit or spread load"
                    : $"{model} peaks at {use:P0} of its {limit:N0} requests/min limit",
                $"{how} gives {peak.Rpm:N0} requests/min on average over that hour; bursts within the hour go higher."));
        }
    }

    private static void Anomalies(PlanInput input, List<Recommendation> output)
    {
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
            output.Add(new Recommendation(RecommendationKind.Anomaly, Severity.Warning, series,
                $"{series}: {count} of the last {total} hours fell outside the 80% interval",
                $"expected about {0.2 * total:N0}; the largest miss was {worst.Hour!.Value.UtcDateTime.ToString("ddd dd MMM HH:00", C)} UTC, actual {target.Format(worst.Actual)} vs forecast {target.Format(worst.Forecast)} (p10 {target.Format(worst.P10)}, p90 {target.Format(worst.P90)}). Check for an incident, a launch or a new client."));
        }
    }

    private void Health(PlanInput input, List<Recommendation> output)
    {
        var h = input.Health;
        if (!(h.RelativeMae < 1))
        {
            output.Add(new Recommendation(RecommendationKind.ModelHealth, Severity.Critical, h.Version,
                $"Champion {h.Version} is no better than seasonal naive (relative MAE {h.RelativeMae:0.000})", "retrain, or serve seasonal naive until a better model is promoted."));
        }
        else if (h.Coverage is < 0.7 or > 0.9)
        {
            output.Add(new Recommendation(RecommendationKind.ModelHealth, Severity.Warning, h.Version,
                $"Champion {h.Version}'s 80% intervals covered {h.Coverage:P0} in its backtest", "intervals are miscalibrated; retrain to recalibrate them."));
        }

        var age = input.Now - h.TrainedAt;
        var forecastAge = input.Now - input.Forecast.GeneratedAt;
        if (age > TimeSpan.FromDays(8))
        {
            output.Add(new Recommendation(RecommendationKind.ModelHealth, Severity.Warning, h.Version,
                $"Champion {h.Version} was trained {age.TotalDays:N0} days ago", "the weekly retrain has not run; check the scheduler."));
        }

        if (forecastAge > TimeSpan.FromHours(settings.StaleAfterHours))
        {
            output.Add(new Recommendation(RecommendationKind.ModelHealth, Severity.Warning, h.Version,
                $"The forecast is {forecastAge.TotalHours:N0} hours old", "the hourly collection and forecast refresh has not run."));
        }

        if (output.All(r => r.Kind != RecommendationKind.ModelHealth))
        {
            output.Add(new Recommendation(RecommendationKind.ModelHealth, Severity.Info, h.Version,
                $"Champion {h.Version} is healthy: {1 - h.RelativeMae:P0} lower error than seasonal naive, intervals cover {h.Coverage:P0}",
                $"trained {h.TrainedAt.UtcDateTime.ToString("dd MMM HH:mm", C)} UTC on backtested data."));
        }
    }

    private string PerMillion(double usdPerToken) => string.Create(C, $"{usdPerToken * 1e6 * settings.PerUsd:0.000} {settings.Currency}");

    private string Money(double usd) =>
        Math.Abs(usd * settings.PerUsd) >= 100
            ? string.Create(C, $"{usd * settings.PerUsd:N0} {settings.Currency}")
            : string.Create(C, $"{usd * settings.PerUsd:N2} {settings.Currency}");

}
