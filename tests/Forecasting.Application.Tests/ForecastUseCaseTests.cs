using Forecasting.Core;
using Forecasting.Core.Planning;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.ML.Registry;

namespace Forecasting.Application.Tests;

[Collection(TrainedCollection.Name)]
public sealed class ForecastUseCaseTests(TrainedWorkspace trained)
{
    private Workspace Workspace => trained.Workspace;

    [Fact]
    public async Task TheStoredPlanIsThePlanTheForecastMade()
    {
        var made = (await new ForecastUseCase(Workspace).RunAsync(ForecastTarget.Tokens, 48, CancellationToken.None)).Require();

        var stored = (await Workspace.Get<LatestForecastQuery>().GetAsync(ForecastTarget.Tokens, CancellationToken.None)).Require();

        Assert.Equal(made.Run.GeneratedAt.ToUnixTimeSeconds(), stored.Run.GeneratedAt.ToUnixTimeSeconds());
        Assert.NotNull(stored.Plan);
        Assert.Equal(PlanDocument.Serialize(made.Plan with { Forecast = stored.Run }), PlanDocument.Serialize(stored.Plan));
        Assert.Equal(48, stored.Run.Series[0].Points.Count);
    }

    [Fact]
    public async Task LeafCostIsTheTokenForecastPricedAtTheSeriesRecentMixForTwoSeries()
    {
        var result = (await new ForecastUseCase(Workspace).RunAsync(ForecastTarget.Tokens, 168, CancellationToken.None)).Require();

        var prices = PriceTable.Default;
        foreach (var key in new[] { "codegen/claude-sonnet-4.5", "tutor/deepseek-v3.2" })
        {
            var series = SeriesKey.Parse(key);
            var rows = result.Data.Rows.Where(r => r.Project == series.Project && r.Model == series.Model && r.Hour > result.Run.Origin.AddDays(-28)).ToList();
            var usdPerToken = rows.Sum(r => prices.Cost(r)!.Value) / rows.Sum(r => (double)r.TotalTokens);
            var tokens = result.Run.Find(key)!.Points;
            var cost = result.Plan.Costs.Single(c => c.Series == key);
            Assert.Equal(usdPerToken * 1e6, cost.UsdPerMillion!.Value, 9);
            for (var h = 0; h < tokens.Count; h++)
            {
                Assert.Equal(tokens[h].P10 * usdPerToken, cost.Points[h].P10, 6);
                Assert.Equal(tokens[h].P50 * usdPerToken, cost.Points[h].P50, 6);
                Assert.Equal(tokens[h].P90 * usdPerToken, cost.Points[h].P90, 6);
            }
        }
    }

    [Fact]
    public async Task TheTotalsCostBandIsItsOwnTokenBandAtTheHoursBlendedPrice()
    {
        var result = (await new ForecastUseCase(Workspace).RunAsync(ForecastTarget.Tokens, 168, CancellationToken.None)).Require();

        var leaves = result.Plan.Costs.Where(c => SeriesKey.Parse(c.Series).IsLeaf).ToList();
        var total = result.Plan.Costs.Single(c => c.Series == "*/*");
        var tokens = result.Run.Find("*/*")!.Points;
        for (var h = 0; h < tokens.Count; h++)
        {
            var costP50 = leaves.Sum(c => c.Points[h].P50);
            var rate = costP50 / leaves.Sum(c => result.Run.Find(c.Series)!.Points[h].P50);
            Assert.Equal(costP50, total.Points[h].P50, 6);
            Assert.Equal(Math.Min(tokens[h].P10 * rate, costP50), total.Points[h].P10, 6);
            Assert.Equal(Math.Max(tokens[h].P90 * rate, costP50), total.Points[h].P90, 6);
        }
    }

    [Fact]
    public async Task ACostForecastIsInDollarsEndToEnd()
    {
        var result = (await new ForecastUseCase(Workspace).RunAsync(ForecastTarget.Cost, 168, CancellationToken.None)).Require();

        Assert.Equal(ForecastTarget.Cost, result.Run.Target);
        Assert.Equal(ForecastTarget.Cost, result.Plan.Target);
        var total = result.Plan.Summaries.Single(s => s.Series.ToString() == "*/*");
        Assert.Equal(total.NextWeek, total.NextWeekCostUsd!.Value, 6);
        // Four weeks of sample traffic cost a few thousand dollars a week, not a few tokens.
        Assert.InRange(total.NextWeek, 300, 20_000);
        Assert.DoesNotContain(result.Plan.Recommendations, r => r.Kind == RecommendationKind.Capacity);

        var folder = Path.Combine(trained.Root, $"report-cost-{Guid.NewGuid():N}");
        var report = (await Workspace.Get<ReportUseCase>().WriteAsync(ForecastTarget.Cost, folder, CancellationToken.None)).Require();
        var markdown = await File.ReadAllTextAsync(report.Files.Markdown);
        Assert.Contains("| model | MAE (USD / hour) |", markdown, StringComparison.Ordinal);
        Assert.Contains("Next 7 days: costing ", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("tokens/h", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhereNoCostIsReportedTheCostSeriesArePricedWithTheSettingsTable()
    {
        // Usage without a reported cost_usd: the cost target prices every row with the workspace's table.
        var rows = new List<Core.Usage.HourlyUsage>();
        await foreach (var row in Workspace.Store.ReadAsync(Data.Stores.UsageQuery.All, CancellationToken.None))
        {
            rows.Add(row with { CostUsd = null });
        }

        await using var store = await Data.Stores.UsageStore.OpenAndMigrateAsync(Path.Combine(trained.Root, $"unpriced-{Guid.NewGuid():N}.db"), CancellationToken.None);
        await store.UpsertAsync(rows, CancellationToken.None);
        var doubled = new PlanningSettings
        {
            Prices = new PriceFile("doubled", PriceTable.Default.Models.ToDictionary(
                m => m,
                m => PriceTable.Default.TryGet(m, out var p) ? new PriceEntry(2 * p!.InputPerMillion, 2 * p.CachedInputPerMillion, 2 * p.OutputPerMillion) : throw new InvalidOperationException())),
        };

        var standard = (await UsageData.LoadAsync(Workspace with { Store = store }, ForecastTarget.Cost, CancellationToken.None)).Require();
        var priced = (await UsageData.LoadAsync(Workspace with { Store = store, Settings = doubled }, ForecastTarget.Cost, CancellationToken.None)).Require();

        var a = standard.Series.Single(s => s.Key.IsTotal).Values;
        var b = priced.Series.Single(s => s.Key.IsTotal).Values;
        Assert.Equal(a.Length, b.Length);
        Assert.True(a.Where(v => !double.IsNaN(v)).Sum() > 0);
        Assert.Equal(2 * a.Where(v => !double.IsNaN(v)).Sum(), b.Where(v => !double.IsNaN(v)).Sum(), 6);
    }

    [Fact]
    public async Task WithoutAChampionTheHintNamesTheTarget()
    {
        var empty = Workspace with { Registry = new ModelRegistry(Path.Combine(trained.Root, $"empty-{Guid.NewGuid():N}")) };

        var result = await new ForecastUseCase(empty).RunAsync(ForecastTarget.Requests, 168, CancellationToken.None);

        Assert.False(result.IsAvailable);
        Assert.Contains("run 'forecasting train --target requests' first", result.Problem, StringComparison.Ordinal);
    }
}
