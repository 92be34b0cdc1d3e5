using System.Globalization;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;

namespace Forecasting.Core.Planning;

/// <summary>
/// Turns a token forecast into cost, summaries and recommendations. Every recommendation carries its
/// numbers and the reason, so a reader can check it.
/// </summary>
public sealed class Planner(PlanningSettings settings)
{
    private static readonly TimeSpan PriceMixWindow = TimeSpan.FromDays(28);
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public Plan Build(PlanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var prices = settings.PriceTable;
        var forecast = input.Forecast;
        var warnings = new List<string>();
        var recent = input.Usage.Where(r => r.Hour > forecast.Origin - PriceMixWindow).ToList();
        var leafPrice = recent.GroupBy(r => new SeriesKey(r.Project, r.Model).ToString())
            .ToDictionary(g => g.Key, g => BlendedPrice(g, prices));
        foreach (var model in recent.Select(r => r.Model).Distinct().Where(m => !prices.TryGet(m, out _)).Order(StringComparer.Ordinal))
        {
            warnings.Add($"model '{model}' has no price in table {prices.Version}: its cost, and every total containing it, is unknown (not zero)");
        }

        var costByKey = forecast.Series.Where(s => SeriesKey.Parse(s.Series).IsLeaf).Select(s => LeafCost(s, leafPrice)).ToDictionary(c => c.Series);
        foreach (var rollup in forecast.Series.Where(s => !SeriesKey.Parse(s.Series).IsLeaf))
        {
            costByKey[rollup.Series] = RollupCost(rollup.Series, costByKey.Values.Where(c => SeriesKey.Parse(c.Series).IsLeaf).ToList());
        }

        var costs = forecast.Series.Select(s => costByKey[s.Series]).ToList();
        var summaries = forecast.Series.Select(s => Summarize(s, costByKey[s.Series], input)).ToList();
        var daily = Daily(forecast, costByKey);
        var recommendations = new List<Recommendation>();
        Capacity(forecast, recommendations);
        Budgets(input, costByKey, prices, recommendations);
        CheaperModels(forecast, costByKey, leafPrice, recent, prices, recommendations);
        RateLimits(forecast, recent, recommendations);
        Anomalies(input, recommendations);
        Health(input, recommendations);
        return new Plan(forecast, costs, summaries, daily, recommendations, warnings, settings.Currency, settings.PerUsd);
    }

    /// <summary>USD per token of a leaf's recent traffic, priced from the table; null when the model has no price.</summary>
    private static double? BlendedPrice(IEnumerable<HourlyUsage> rows, PriceTable prices)
    {
        double cost = 0, tokens = 0;
        foreach (var row in rows)
        {
            if (prices.Cost(row) is not { } c)
            {
                return null;
            }

            cost += c;
            tokens += row.TotalTokens;
        }

        return tokens > 0 ? cost / tokens : null;
    }

    private static SeriesCost LeafCost(Forecasting.SeriesForecast series, Dictionary<string, double?> leafPrice)
    {
        var price = leafPrice.GetValueOrDefault(series.Series);
        return price is { } p
            ? new SeriesCost(series.Series, p * 1e6, [.. series.Points.Select(x => new CostPoint(x.Hour, x.P10 * p, x.P50 * p, x.P90 * p))], [])
            : new SeriesCost(series.Series, null, [], [SeriesKey.Parse(series.Series).Model]);
    }

    /// <summary>A roll-up's cost is the sum of its leaves' costs; unknown if any leaf's is.</summary>
    private static SeriesCost RollupCost(string series, List<SeriesCost> leaves)
    {
        var key = SeriesKey.Parse(series);
        var members = leaves.Where(c => key.Contains(SeriesKey.Parse(c.Series))).ToList();
        var unpriced = members.SelectMany(m => m.UnpricedModels).Distinct().ToList();
        if (members.Count == 0 || unpriced.Count > 0)
        {
            return new SeriesCost(series, null, [], unpriced);
        }

        var points = members.SelectMany(m => m.Points).GroupBy(p => p.Hour)
            .Select(g => new CostPoint(g.Key, g.Sum(p => p.P10), g.Sum(p => p.P50), g.Sum(p => p.P90)))
            .OrderBy(p => p.Hour).ToList();
        var tokens = members.Sum(m => m.Points.Sum(p => p.P50) / (m.UsdPerMillionTokens!.Value / 1e6));
        return new SeriesCost(series, tokens > 0 ? points.Sum(p => p.P50) / tokens * 1e6 : null, points, []);
    }

    private static List<DailyTotal> Daily(Forecasting.ForecastRun forecast, Dictionary<string, SeriesCost> costs)
    {
        var result = new List<DailyTotal>();
        foreach (var series in forecast.Series)
        {
            var cost = costs[series.Series];
            var costByHour = cost.Points.ToDictionary(p => p.Hour);
            foreach (var day in series.Points.GroupBy(p => DateOnly.FromDateTime(p.Hour.UtcDateTime)))
            {
                var known = cost.Known && cost.Points.Count > 0;
                var hours = day.Select(p => costByHour.GetValueOrDefault(p.Hour)).Where(p => p is not null).ToList();
                result.Add(new DailyTotal(series.Series, day.Key, day.Sum(p => p.P50),
                    known ? hours.Sum(p => p!.P50) : null, known ? hours.Sum(p => p!.P10) : null, known ? hours.Sum(p => p!.P90) : null));
            }
        }

        return result;
    }

    private static SeriesSummary Summarize(Forecasting.SeriesForecast series, SeriesCost cost, PlanInput input)
    {
        var week = series.Points.Take(168).ToList();
        var history = input.History.FirstOrDefault(h => h.Key.ToString() == series.Series);
        double? lastWeek = null;
        if (history is not null && history.Length >= 168)
        {
            var tail = history.Values[^168..];
            lastWeek = tail.Any(double.IsNaN) && tail.Count(double.IsNaN) > 24 ? null : tail.Where(v => !double.IsNaN(v)).Sum() * 168.0 / tail.Count(v => !double.IsNaN(v));
        }

        var key = SeriesKey.Parse(series.Series);
        var lastWeekCost = input.Usage
            .Where(r => r.Hour > input.Forecast.Origin.AddHours(-168) && key.Contains(new SeriesKey(r.Project, r.Model)))
            .Select(r => r.CostUsd)
            .Aggregate((double?)0, (sum, c) => sum is null || c is null ? null : sum + c);
        var peak = week.MaxBy(p => p.P50)!;
        return new SeriesSummary(
            series.Series,
            series.Model,
            week.Sum(p => p.P50),
            lastWeek,
            cost.Points.Count > 0 ? cost.Points.Take(168).Sum(p => p.P50) : null,
            lastWeekCost,
            peak.Hour,
            peak.P50,
            week.Max(p => p.P90),
            week.Average(p => p.P50));
    }

    private static void Capacity(Forecasting.ForecastRun forecast, List<Recommendation> output)
    {
        foreach (var series in forecast.Series.Where(s => SeriesKey.Parse(s.Series) is { Project: SeriesKey.All }))
        {
            var week = series.Points.Take(168).ToList();
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
                $"Provision {Tokens(peak.P90)} tokens/h for {series.Series} at its peak, {peak.Hour.UtcDateTime.ToString("ddd dd MMM HH:00", C)} UTC",
                $"p90 of the peak hour is {ratio:0.0}× the week's average p50 ({Tokens(average)} tokens/h); sizing for the average would leave {(1 - (1 / ratio)):P0} of the peak unserved."));
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

            // Past the forecast horizon, the last forecast week's average hour carries on to the month's end.
            var covered = cost.Points.Count(p => p.Hour < monthEnd);
            var lastHour = cost.Points.Where(p => p.Hour < monthEnd).Select(p => p.Hour).DefaultIfEmpty(origin).Max();
            var remainingHours = Math.Max(0, (monthEnd - lastHour).TotalHours - 1);
            var hourly = cost.Points.Take(168).Average(p => p.P50);
            var projected = running + (remainingHours * hourly);
            if (crossing is null && projected > budget && hourly > 0)
            {
                crossing = lastHour.AddHours(Math.Ceiling((budget - running) / hourly));
            }

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
                ? $"{project} crosses its {Money(budget)} monthly budget on {when.UtcDateTime.ToString("ddd dd MMM", C)}"
                : $"{project} stays within its {Money(budget)} monthly budget ({share:P0} projected)";
            output.Add(new Recommendation(RecommendationKind.Budget, severity, project, title,
                $"spent {Money(spent)} this month to {origin.UtcDateTime.ToString("dd MMM HH:00", C)} UTC; forecast p50 adds {Money(running - spent)} over the next {covered} h; projected month total {Money(projected)}."));
        }
    }

    private void CheaperModels(Forecasting.ForecastRun forecast, Dictionary<string, SeriesCost> costs, Dictionary<string, double?> leafPrice, List<HourlyUsage> recent, PriceTable prices, List<Recommendation> output)
    {
        var candidates = new List<(double Saving, Recommendation Recommendation)>();
        foreach (var project in forecast.Series.Select(s => SeriesKey.Parse(s.Series)).Where(k => k.IsLeaf).GroupBy(k => k.Project))
        {
            var leaves = project.Where(k => leafPrice.GetValueOrDefault(k.ToString()) is not null).ToList();
            if (leaves.Count == 0)
            {
                continue;
            }

            var expensive = leaves.MaxBy(k => costs[k.ToString()].Points.Take(168).Sum(p => p.P50));
            var rows = recent.Where(r => r.Project == expensive.Project && r.Model == expensive.Model).ToList();
            var tokens = forecast.Find(expensive.ToString())!.Points.Take(168).Sum(p => p.P50);
            var current = leafPrice[expensive.ToString()]!.Value;
            // The cheapest priced model for the same input/cached/output mix; the project's own models first.
            var cheaper = prices.Models
                .Select(m => (Model: m, Price: BlendedPrice(rows.Select(r => r with { Model = m }), prices)))
                .Where(x => x.Price is not null && x.Model != expensive.Model)
                .OrderBy(x => project.Any(k => k.Model == x.Model) ? 0 : 1)
                .ThenBy(x => x.Price)
                .FirstOrDefault();
            if (cheaper.Model is null || cheaper.Price >= current)
            {
                continue;
            }

            var saving = settings.SwitchShare * tokens * (current - cheaper.Price!.Value);
            candidates.Add((saving, new Recommendation(RecommendationKind.Cost, saving > 100 ? Severity.Warning : Severity.Info, expensive.ToString(),
                $"Moving {settings.SwitchShare:P0} of {expensive.Project}'s {expensive.Model} traffic to {cheaper.Model} saves {Money(saving)} a week",
                $"next week's {Tokens(tokens)} tokens on {expensive.Model} cost {PerMillion(current)} per million at this project's input/cached/output mix, {cheaper.Model} {PerMillion(cheaper.Price.Value)} (price table {prices.Version}); check quality on that share first.")));
        }

        output.AddRange(candidates.OrderByDescending(c => c.Saving).Select(c => c.Recommendation));
    }

    private void RateLimits(Forecasting.ForecastRun forecast, List<HourlyUsage> recent, List<Recommendation> output)
    {
        var tokensPerRequest = recent.Where(r => r.Requests > 0).GroupBy(r => new SeriesKey(r.Project, r.Model).ToString())
            .ToDictionary(g => g.Key, g => (double)g.Sum(r => r.TotalTokens) / g.Sum(r => r.Requests));
        foreach (var (model, limit) in settings.RateLimitsRpm.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var leaves = forecast.Series.Where(s => SeriesKey.Parse(s.Series) is { IsLeaf: true } k && k.Model == model && tokensPerRequest.ContainsKey(s.Series)).ToList();
            if (leaves.Count == 0)
            {
                continue;
            }

            var perHour = leaves.SelectMany(s => s.Points.Select(p => (p.Hour, Requests: p.P90 / tokensPerRequest[s.Series])))
                .GroupBy(x => x.Hour).Select(g => (Hour: g.Key, Rpm: g.Sum(x => x.Requests) / 60)).ToList();
            var peak = perHour.MaxBy(x => x.Rpm);
            var use = peak.Rpm / limit;
            output.Add(new Recommendation(RecommendationKind.RateLimit, use >= 1 ? Severity.Critical : use >= 0.8 ? Severity.Warning : Severity.Info, model,
                use >= 0.8
                    ? $"{model} reaches {use:P0} of its {limit:N0} requests/min limit at {peak.Hour.UtcDateTime.ToString("ddd HH:00", C)} UTC: raise the limit or spread load"
                    : $"{model} peaks at {use:P0} of its {limit:N0} requests/min limit",
                $"p90 tokens of the peak hour over recent tokens per request gives {peak.Rpm:N0} requests/min on average over that hour; bursts within the hour go higher."));
        }
    }

    private static void Anomalies(PlanInput input, List<Recommendation> output)
    {
        var since = input.Forecast.Origin.AddHours(-72);
        var outside = input.RecentServed
            .Where(p => p.Hour > since && !double.IsNaN(p.Actual) && !double.IsNaN(p.P10) && (p.Actual < p.P10 || p.Actual > p.P90))
            .GroupBy(p => p.Series)
            .Select(g => (Series: g.Key, Count: g.Count(), Total: input.RecentServed.Count(p => p.Series == g.Key && p.Hour > since), Worst: g.MaxBy(p => Math.Abs(p.Actual - p.Forecast) / p.Scale)!))
            .Where(x => x.Count > 0.3 * x.Total)
            .OrderByDescending(x => (double)x.Count / x.Total);
        foreach (var (series, count, total, worst) in outside)
        {
            output.Add(new Recommendation(RecommendationKind.Anomaly, Severity.Warning, series,
                $"{series}: {count} of the last {total} hours fell outside the 80% interval",
                $"expected about {0.2 * total:N0}; the largest miss was {worst.Hour!.Value.UtcDateTime.ToString("ddd dd MMM HH:00", C)} UTC, actual {Tokens(worst.Actual)} vs forecast {Tokens(worst.Forecast)} (p10 {Tokens(worst.P10)}, p90 {Tokens(worst.P90)}). Check for an incident, a launch or a new client."));
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

    private string Money(double usd) => string.Create(C, $"{usd * settings.PerUsd:N0} {settings.Currency}");

    private static string Tokens(double value) => Core.Usage.TokenFormat.Compact(value);
}
