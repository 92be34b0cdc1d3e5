using Forecasting.Core.Pricing;
using Forecasting.Core.Usage;

namespace Forecasting.Core.Tests.Pricing;

public sealed class PriceTableTests
{
    private static readonly PriceTable Table = new("test", new Dictionary<string, ModelPrice>
    {
        ["model-a"] = new(InputPerMillion: 2.00, CachedInputPerMillion: 0.50, OutputPerMillion: 8.00),
    });

    [Fact]
    public void CachedInputTokensArePricedAtTheCachedRate()
    {
        var usage = Usage("model-a", input: 1_000_000, cached: 400_000, output: 250_000);

        // 600k fresh × $2/M = 1.2, 400k cached × $0.5/M = 0.2, 250k output × $8/M = 2.0.
        Assert.Equal(3.4, Table.Cost(usage)!.Value, 12);
    }

    [Fact]
    public void WithoutCachedCountAllInputIsFresh()
    {
        var usage = Usage("model-a", input: 500_000, cached: null, output: 0);

        Assert.Equal(1.0, Table.Cost(usage)!.Value, 12);
    }

    [Fact]
    public void CachedCountAboveInputIsCappedAtInput()
    {
        var usage = Usage("model-a", input: 1_000_000, cached: 3_000_000, output: 0);

        Assert.Equal(0.5, Table.Cost(usage)!.Value, 12);
    }

    [Fact]
    public void ModelLookupIgnoresCaseAndUnknownModelsHaveNoCost()
    {
        Assert.Equal(2.0, Table.Cost(Usage("MODEL-A", input: 1_000_000, cached: null, output: 0))!.Value, 12);
        Assert.Null(Table.Cost(Usage("model-b", input: 1_000_000, cached: null, output: 0)));
        Assert.False(Table.TryGet("model-b", out _));
    }

    [Fact]
    public void DefaultTablePricesEveryListedModelPositively()
    {
        Assert.NotEmpty(PriceTable.Default.Models);
        Assert.All(PriceTable.Default.Models, model =>
        {
            Assert.True(PriceTable.Default.TryGet(model, out var price));
            Assert.True(price.InputPerMillion > 0 && price.OutputPerMillion > 0);
            Assert.True(price.CachedInputPerMillion <= price.InputPerMillion);
        });
    }

    private static HourlyUsage Usage(string model, long input, long? cached, long output) => new()
    {
        Hour = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero),
        Project = "p",
        Model = model,
        InputTokens = input,
        CachedInputTokens = cached,
        OutputTokens = output,
    };
}
