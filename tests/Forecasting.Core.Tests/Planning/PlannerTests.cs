using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;

namespace Forecasting.Core.Tests.Planning;

public sealed class PlannerTests
{
    // Origin: 10 Nov 23:00 UTC; the month started 1 Nov.
    private static readonly DateTimeOffset Origin = new(2026, 11, 10, 23, 0, 0, TimeSpan.Zero);

    private static readonly PlanningSettings Settings = new()
    {
        BudgetsUsdPerMonth = new() { ["tutor"] = 1500 },
        RateLimitsRpm = new() { ["gpt-4.1"] = 10 },
        Prices = new PriceFile("test", new()
        {
            ["gpt-4.1"] = new PriceEntry(2.0, 0.5, 8.0),
            ["deepseek-v3.2"] = new PriceEntry(0.28, 0.028, 0.42),
        }),
    };

    [Fact]
    public void LeafCostIsForecastTokensTimesThePriceOfTheRecentMix()
    {
        var plan = new Planner(Settings).Build(Input(1_000_000, ("tutor", "gpt-4.1")));

        // Recent rows: 600k input (200k cached) + 400k output per hour.
        // Cost per hour: 400k × 2 + 200k × 0.5 + 400k × 8 per million = 0.8 + 0.1 + 3.2 = 4.1 USD for 1M tokens.
        var cost = plan.Costs.Single(c => c.Series == "tutor/gpt-4.1");
        Assert.Equal(4.1, cost.UsdPerMillion!.Value, 9);
        Assert.All(cost.Points, p => Assert.Equal(4.1, p.P50, 9));
        Assert.Equal(4.1 * 168, plan.Summaries.Single(s => s.Series.ToString() == "tutor/gpt-4.1").NextWeekCostUsd!.Value, 6);
        Assert.Equal(4.1 * 24, plan.Daily.First(d => d.Series == "*/*").CostUsd!.Value, 6);
    }

    [Fact]
    public void AModelWithoutAPriceMakesItsCostUnknownNotZero()
    {
        var plan = new Planner(Settings).Build(Input(1_000_000, ("tutor", "gpt-4.1"), ("tutor", "mystery-llm")));

        Assert.Contains(plan.Warnings, w => w.Contains("mystery-llm", StringComparison.Ordinal));
        Assert.False(plan.Costs.Single(c => c.Series == "tutor/mystery-llm").Known);
        Assert.Null(plan.Summaries.Single(s => s.Series.ToString() == "*/*").NextWeekCostUsd);
        Assert.All(plan.Daily.Where(d => d.Series == "*/*"), d => Assert.Null(d.CostUsd));
        Assert.NotNull(plan.Summaries.Single(s => s.Series.ToString() == "tutor/gpt-4.1").NextWeekCostUsd);
    }

    [Fact]
    public void AnUnpricedModelWithReportedCostIsPricedAtItAndMarked()
    {
        var input = Input(1_000_000, ("tutor", "gpt-4.1"), ("tutor", "mystery-llm"));
        // 1M tokens an hour reported at 2.5 USD: 2.5 USD per million.
        input = input with { Usage = [.. input.Usage.Select(r => r.Model == "mystery-llm" ? r with { CostUsd = 2.5 } : r)] };

        var plan = new Planner(Settings).Build(input);

        var cost = plan.Costs.Single(c => c.Series == "tutor/mystery-llm");
        Assert.True(cost is { Known: true, FromReportedCost: true });
        Assert.Equal(2.5, cost.UsdPerMillion!.Value, 9);
        Assert.False(plan.Costs.Single(c => c.Series == "tutor/gpt-4.1").FromReportedCost);
        Assert.True(plan.Costs.Single(c => c.Series == "*/*").FromReportedCost);
        Assert.Equal((4.1 + 2.5) * 168, plan.Summaries.Single(s => s.Series.ToString() == "*/*").NextWeekCostUsd!.Value, 6);
        Assert.Contains(plan.Warnings, w => w.Contains("mystery-llm", StringComparison.Ordinal) && w.Contains("from reported cost", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(4.1 * 1.3, true)]
    [InlineData(4.1 * 0.7, true)]
    [InlineData(4.1 * 1.1, false)]
    public void ReportedCostFarFromTheTablesPriceIsAFinding(double reportedPerHour, bool warned)
    {
        var input = Input(1_000_000, ("tutor", "gpt-4.1"));
        input = input with { Usage = [.. input.Usage.Select(r => r with { CostUsd = reportedPerHour })] };

        var plan = new Planner(Settings).Build(input);

        Assert.Equal(warned, plan.Warnings.Any(w => w.Contains("'gpt-4.1'", StringComparison.Ordinal) && w.Contains("out of date", StringComparison.Ordinal)));
        // The table's price still prices the forecast: the mismatch is reported, not silently corrected.
        Assert.Equal(4.1, plan.Costs.Single(c => c.Series == "tutor/gpt-4.1").UsdPerMillion!.Value, 9);
    }

    [Fact]
    public void ARateLimitWithoutRequestCountsSaysItCannotBeChecked()
    {
        var input = Input(1_000_000, ("tutor", "gpt-4.1"));
        input = input with { Usage = [.. input.Usage.Select(r => r with { Requests = 0 })] };

        var plan = new Planner(Settings).Build(input);

        var limit = plan.Recommendations.Single(r => r.Kind == RecommendationKind.RateLimit);
        Assert.Contains("cannot be checked", limit.Title, StringComparison.Ordinal);
        Assert.Equal(Severity.Info, limit.Severity);
    }

    [Fact]
    public void TheBudgetCrossingIsTheFirstHourTheRunningTotalPassesTheBudget()
    {
        var plan = new Planner(Settings).Build(Input(1_000_000, ("tutor", "gpt-4.1")));

        // Spent this month: hours of 1..10 Nov up to the origin (the input's history covers 28 days at 4.1 USD/h).
        var spent = 4.1 * ((Origin - new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)).TotalHours + 1);
        var hoursToCross = (int)Math.Floor((1500 - spent) / 4.1) + 1;
        var budget = plan.Recommendations.Single(r => r.Kind == RecommendationKind.Budget);
        Assert.Equal(Severity.Critical, budget.Severity);
        Assert.Contains(Origin.AddHours(hoursToCross).UtcDateTime.ToString("ddd dd MMM", System.Globalization.CultureInfo.InvariantCulture), budget.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void ABudgetAlreadySpentIsSaidSo()
    {
        var settings = Settings with { BudgetsUsdPerMonth = new() { ["tutor"] = 500 } };

        var plan = new Planner(settings).Build(Input(1_000_000, ("tutor", "gpt-4.1")));

        var budget = plan.Recommendations.Single(r => r.Kind == RecommendationKind.Budget);
        Assert.Equal(Severity.Critical, budget.Severity);
        Assert.Contains("has already spent 984 USD of its 500 USD", budget.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void APeakNearTheProviderRateLimitIsFlagged()
    {
        // p90 of 1.1M tokens/h at 1,000 tokens per request: 1,100 requests/h, 18.3 per minute against a limit of 10.
        var plan = new Planner(Settings).Build(Input(1_000_000, ("tutor", "gpt-4.1")));

        var limit = plan.Recommendations.Single(r => r.Kind == RecommendationKind.RateLimit);
        Assert.Equal(Severity.Critical, limit.Severity);
        Assert.Contains("183 %", limit.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void AChampionNoBetterThanSeasonalNaiveIsCritical()
    {
        var input = Input(1_000_000, ("tutor", "gpt-4.1")) with { Health = new ModelHealth("v0003", Origin, 1.02, 0.8) };

        var plan = new Planner(Settings).Build(input);

        Assert.Contains(plan.Recommendations, r => r.Kind == RecommendationKind.ModelHealth && r.Severity == Severity.Critical && r.Title.Contains("v0003", StringComparison.Ordinal));
    }

    [Fact]
    public void MovingTrafficToACheaperModelIsPricedFromTheTable()
    {
        var plan = new Planner(Settings).Build(Input(1_000_000, ("tutor", "gpt-4.1"), ("tutor", "deepseek-v3.2")));

        // Same mix on deepseek: 400k × 0.28 + 200k × 0.028 + 400k × 0.42 per million = 0.2856 USD per 1M tokens.
        // Saving on 30 % of next week's 168M gpt-4.1 tokens: 0.3 × 168 × (4.1 − 0.2856) = 192.24 USD.
        var cost = plan.Recommendations.First(r => r.Kind == RecommendationKind.Cost);
        Assert.Contains("tutor's gpt-4.1 traffic to deepseek-v3.2 saves 192 USD", cost.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void ACrossingPastTheForecastCarriesItsLastWeekOnAndSaysItIsExtrapolated()
    {
        // Spent to the origin: 240 h × 4.1 = 984 USD; the forecast adds 168 h × 4.1 = 688.8 (1,672.8).
        // A 1,800 USD budget is crossed 31.02 hours later at the same 4.1 USD/h: hour 168 + 32 after the origin.
        var settings = Settings with { BudgetsUsdPerMonth = new() { ["tutor"] = 1800 } };
        var plan = new Planner(settings).Build(Input(1_000_000, ("tutor", "gpt-4.1")));

        var budget = plan.Recommendations.Single(r => r.Kind == RecommendationKind.Budget);
        Assert.Equal(Severity.Critical, budget.Severity);
        Assert.Contains($"on {Origin.AddHours(200).UtcDateTime.ToString("ddd dd MMM", System.Globalization.CultureInfo.InvariantCulture)} (extrapolated past the forecast)", budget.Title, StringComparison.Ordinal);
        Assert.Contains("repeat its last week hour by hour", budget.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ARollUpsCostBandIsItsOwnTokenBandPricedNotTheSumOfItsLeavesBands()
    {
        var input = Input(1_000_000, ("tutor", "gpt-4.1"), ("tutor", "deepseek-v3.2"));
        // The total's own calibrated band is narrower than the sum of the leaves' bands (their misses partly cancel).
        var narrowed = input.Forecast with
        {
            Series = [.. input.Forecast.Series.Select(s => SeriesKey.Parse(s.Series).IsLeaf ? s : s with
            {
                Points = [.. s.Points.Select(p => p with { P10 = 0.97 * p.P50, P90 = 1.04 * p.P50 })],
            })],
        };
        var plan = new Planner(Settings).Build(input with { Forecast = narrowed });

        // gpt-4.1 costs 4.1 USD and deepseek 0.2856 USD per 1M tokens at this mix: 2M tokens an hour cost 4.3856 USD.
        var total = plan.Costs.Single(c => c.Series == "*/*");
        Assert.All(total.Points, p =>
        {
            Assert.Equal(4.3856, p.P50, 9);
            Assert.Equal(0.97 * 4.3856, p.P10, 9);
            Assert.Equal(1.04 * 4.3856, p.P90, 9);
        });
        var leavesP90 = plan.Costs.Where(c => SeriesKey.Parse(c.Series).IsLeaf).Sum(c => c.Points[0].P90);
        Assert.True(total.Points[0].P90 < leavesP90, "the sum of the leaves' p90 is not the total's p90");
    }

    [Fact]
    public void ACostForecastIsItsOwnCostWithUnitsInDollarsAndNothingToProvision()
    {
        var input = Input(10, ("tutor", "gpt-4.1"));
        var plan = new Planner(Settings).Build(input with { Forecast = input.Forecast with { Target = ForecastTarget.Cost } });

        Assert.Equal(ForecastTarget.Cost, plan.Target);
        var leaf = plan.Costs.Single(c => c.Series == "tutor/gpt-4.1");
        Assert.Null(leaf.UsdPerMillion);
        Assert.Equal(10, leaf.Points[0].P50, 9);
        Assert.Equal(9, leaf.Points[0].P10, 9);
        var total = plan.Summaries.Single(s => s.Series.ToString() == "*/*");
        Assert.Equal(total.NextWeek, total.NextWeekCostUsd!.Value, 6);
        Assert.DoesNotContain(plan.Recommendations, r => r.Kind == RecommendationKind.Capacity);
        // Rate limit from dollars: 11 USD (p90) an hour over 4.1 USD per 1,000 requests is 2,683 requests an hour, 44.7 a minute.
        var limit = plan.Recommendations.Single(r => r.Kind == RecommendationKind.RateLimit);
        Assert.Contains("reaches 447 % of its 10 requests/min limit", limit.Title, StringComparison.Ordinal);
    }

    private static PlanInput Input(double tokens, params (string Project, string Model)[] leafKeys)
    {
        var leaves = leafKeys.ToList();
        var rows = new List<HourlyUsage>();
        for (var h = -28 * 24 + 1; h <= 0; h++)
        {
            foreach (var (project, model) in leaves)
            {
                rows.Add(new HourlyUsage
                {
                    Hour = Origin.AddHours(h),
                    Project = project,
                    Model = model,
                    InputTokens = 600_000,
                    CachedInputTokens = 200_000,
                    OutputTokens = 400_000,
                    Requests = 1_000,
                });
            }
        }

        var series = SeriesBuilder.Build(rows, ForecastTarget.Tokens, Settings.PriceTable);
        var forecast = new ForecastRun(ForecastTarget.Tokens, "v0001", Origin, Origin, 168, [.. series.Select(s => new SeriesForecast(
            s.Key,
            s.Key.IsLeaf ? "fasttree" : "bottom-up",
            [.. Enumerable.Range(1, 168).Select(h => new ForecastPoint(Origin.AddHours(h), 0.9 * tokens * Leaves(s.Key, leaves), tokens * Leaves(s.Key, leaves), 1.1 * tokens * Leaves(s.Key, leaves)))]))]);
        return new PlanInput(forecast, series, rows, [], new ModelHealth("v0001", Origin, 0.8, 0.8), Origin);
    }

    private static int Leaves(SeriesKey key, List<(string Project, string Model)> leaves) => leaves.Count(l => key.Contains(new SeriesKey(l.Project, l.Model)));
}
