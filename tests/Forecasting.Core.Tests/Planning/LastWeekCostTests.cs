using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;

namespace Forecasting.Core.Tests.Planning;

/// <summary>The plan's last-week cost of every series: each usage row of the week added in row order, from 0, as a reader summing the rows would.</summary>
public sealed class LastWeekCostTests
{
    private static readonly DateTimeOffset Origin = new(2026, 11, 10, 23, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RollupLastWeekCostEqualsTheRowOrderSumOfBefore()
    {
        var settings = new PlanningSettings
        {
            Prices = new PriceFile("test", new() { ["a"] = new PriceEntry(2.0, 0.5, 8.0), ["b"] = new PriceEntry(2.0, 0.5, 8.0) }),
        };
        var rows = new List<HourlyUsage>();
        var costs = new[] { 0.1, 0.2, 0.3, 1e-3, 7.7, 0.7 };
        var i = 0;
        for (var h = -28 * 24 + 1; h <= 0; h++)
        {
            foreach (var (p, m) in new[] { ("x", "a"), ("y", "b"), ("x", "b") })
            {
                rows.Add(new HourlyUsage { Hour = Origin.AddHours(h), Project = p, Model = m, InputTokens = 1000, OutputTokens = 1000, Requests = 1, CostUsd = costs[i++ % costs.Length] });
            }
        }

        var series = SeriesBuilder.Build(rows, ForecastTarget.Tokens, settings.PriceTable);
        var forecast = new ForecastRun(ForecastTarget.Tokens, "v0001", Origin, Origin, 168, [.. series.Select(s => new SeriesForecast(
            s.Key, "m", [.. Enumerable.Range(1, 168).Select(h => new ForecastPoint(Origin.AddHours(h), 1, 2, 3))]))]);
        var input = new PlanInput(forecast, series, rows, [], new ModelHealth("v0001", Origin, 0.8, 0.8), Origin);
        var plan = new Planner(settings).Build(input);

        foreach (var s in plan.Summaries)
        {
            var key = s.Series;
            // Worked out from the rows: those of the week before the origin that the series contains, in row order.
            var before = input.Usage
                .Where(r => r.Hour > input.Forecast.Origin.AddHours(-168) && key.Contains(new SeriesKey(r.Project, r.Model)))
                .Select(r => r.CostUsd ?? settings.PriceTable.Cost(r))
                .Aggregate((double?)0, (sum, c) => sum is null || c is null ? null : sum + c);
            Assert.True(before == s.LastWeekCostUsd, $"{s.Series}: before {before:R}, now {s.LastWeekCostUsd:R}");
        }
    }
}
