using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Data.Samples;

namespace Forecasting.ML.Tests.Support;

/// <summary>Series built from the realistic sample generator (seeded), the same data the demo trains on.</summary>
internal static class SampleSeries
{
    private static readonly Lazy<IReadOnlyList<HourlySeries>> Leaves = new(() =>
        SeriesBuilder.Build(SampleUsageGenerator.Generate(new SampleUsageOptions { Weeks = 12 }), ForecastTarget.Tokens, PriceTable.Default, rollups: false));

    private static readonly Lazy<IReadOnlyList<HourlySeries>> All = new(() =>
        SeriesBuilder.Build(SampleUsageGenerator.Generate(new SampleUsageOptions { Weeks = 12 }), ForecastTarget.Tokens, PriceTable.Default));

    public static IReadOnlyList<HourlySeries> LeafSeries => Leaves.Value;

    public static IReadOnlyList<HourlySeries> WithRollups => All.Value;
}
