using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;

namespace Forecasting.Core.Tests.Series;

public sealed class ForecastTargetsTests
{
    private static readonly DateTimeOffset H0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static readonly PriceTable Prices = new("test", new Dictionary<string, ModelPrice> { ["priced"] = new(2.00, 0.50, 8.00) });

    private static HourlyUsage Row(string model, double? costUsd = null) => new()
    {
        Hour = H0,
        Model = model,
        Project = "p",
        InputTokens = 1_000_000,
        OutputTokens = 500_000,
        Requests = 40,
        CostUsd = costUsd,
    };

    [Fact]
    public void TokensAreInputPlusOutputAndRequestsAreRequests()
    {
        Assert.Equal(1_500_000, ForecastTarget.Tokens.ValueOf(Row("priced"), Prices));
        Assert.Equal(40, ForecastTarget.Requests.ValueOf(Row("priced"), Prices));
    }

    [Fact]
    public void CostIsTheReportedCostElseThePricedOneElseNaN()
    {
        Assert.Equal(1.25, ForecastTarget.Cost.ValueOf(Row("priced", costUsd: 1.25), Prices));
        Assert.Equal(Prices.Cost(Row("priced"))!.Value, ForecastTarget.Cost.ValueOf(Row("priced"), Prices));
        Assert.Equal(2.00 + (0.5 * 8.00), ForecastTarget.Cost.ValueOf(Row("priced"), Prices), 9);
        Assert.True(double.IsNaN(ForecastTarget.Cost.ValueOf(Row("unpriced"), Prices)));
    }

    [Fact]
    public void SeriesAreBuiltFromTheSameValues()
    {
        var rows = new[] { Row("priced"), Row("priced", costUsd: 3) with { Project = "q" } };

        foreach (var target in ForecastTargets.All)
        {
            var total = SeriesBuilder.Build(rows, target, Prices).Single(s => s.Key.IsTotal);
            Assert.Equal(rows.Sum(r => target.ValueOf(r, Prices)), total.Values.Single(), 9);
        }
    }
}
