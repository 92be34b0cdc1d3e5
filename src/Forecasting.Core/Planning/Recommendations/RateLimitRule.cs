using System.Globalization;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;

namespace Forecasting.Core.Planning.Recommendations;

/// <summary>
/// Per model with a provider rate limit: the requests per minute of its peak hour (p90, over recent units per request) against
/// the limit; a model whose usage has no request counts is said to be unchecked.
/// </summary>
internal sealed class RateLimitRule : IRecommendationRule
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public IEnumerable<Recommendation> Recommend(PlanContext context)
    {
        var target = context.Target;
        var recent = context.Recent;
        var prices = context.Prices;
        // The forecast's unit per request (tokens, 1 request, or USD), from recent usage.
        var unitsPerRequest = recent.Where(r => r.Requests > 0).GroupBy(r => new SeriesKey(r.Project, r.Model))
            .Select(g => (Key: g.Key, Units: target switch
            {
                ForecastTarget.Requests => (double?)1,
                ForecastTarget.Cost => g.Select(r => r.CostUsd ?? prices.Cost(r)).Aggregate((double?)0, (s, c) => s is null || c is null ? null : s + c) / g.Sum(r => r.Requests),
                _ => (double)g.Sum(r => r.TotalTokens) / g.Sum(r => r.Requests),
            }))
            .Where(x => x.Units is > 0)
            .ToDictionary(x => x.Key, x => x.Units!.Value);
        foreach (var (model, limit) in context.Settings.RateLimitsRpm.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var leaves = context.Series.Where(s => s.Key.IsLeaf && s.Key.Model == model && unitsPerRequest.ContainsKey(s.Key)).ToList();
            if (leaves.Count == 0)
            {
                if (recent.Any(r => r.Model == model) && recent.Where(r => r.Model == model).All(r => r.Requests == 0))
                {
                    // Sources that report no request counts (the relay's documented answer has none) leave the limit unchecked, and say so.
                    yield return new Recommendation(RecommendationKind.RateLimit, Severity.Info, model,
                        $"{model}'s {limit:N0} requests/min limit cannot be checked: its usage has no request counts",
                        "the source reported tokens but no requests for this model over the recent window; collect from a source that reports requests (or a request log) to check the limit.");
                }

                continue;
            }

            var perHour = leaves.SelectMany(s => s.Forecast.Points.Select(p => (p.Hour, Requests: p.P90 / unitsPerRequest[s.Key])))
                .GroupBy(x => x.Hour).Select(g => (Hour: g.Key, Rpm: g.Sum(x => x.Requests) / 60)).ToList();
            var peak = perHour.MaxBy(x => x.Rpm);
            var use = peak.Rpm / limit;
            var how = target == ForecastTarget.Requests
                ? "p90 requests of the peak hour"
                : $"p90 {target.Unit()} of the peak hour over recent {target.Unit()} per request";
            yield return new Recommendation(RecommendationKind.RateLimit, use >= 1 ? Severity.Critical : use >= 0.8 ? Severity.Warning : Severity.Info, model,
                use >= 0.8
                    ? $"{model} reaches {use:P0} of its {limit:N0} requests/min limit at {peak.Hour.UtcDateTime.ToString("ddd HH:00", C)} UTC: raise the limit or spread load"
                    : $"{model} peaks at {use:P0} of its {limit:N0} requests/min limit",
                $"{how} gives {peak.Rpm:N0} requests/min on average over that hour; bursts within the hour go higher.");
        }
    }
}
