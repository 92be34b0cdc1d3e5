using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;

namespace Forecasting.Core.Tests.Series;

public sealed class SeriesBuilderTests
{
    private static readonly DateTimeOffset H0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    // Tokens per leaf and hour 0..5; NaN is a missing row, null is outside the leaf's span.
    private static readonly Dictionary<SeriesKey, double?[]> Leaves = new()
    {
        [new("p1", "m1")] = [10, 11, double.NaN, 13, 14, 15],
        [new("p1", "m2")] = [null, null, 100, 200, 300, null],
        [new("p2", "m1")] = [1000, 2000, 3000, 4000, 5000, 6000],
    };

    [Fact]
    public void LeavesAndRollupsAreBuiltForEveryProjectAndModel()
    {
        var series = SeriesBuilder.Build(Rows(), ForecastTarget.Tokens, PriceTable.Default);

        var keys = series.Select(s => s.Key.ToString()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["*/*", "*/m1", "*/m2", "p1/*", "p1/m1", "p1/m2", "p2/*", "p2/m1"], keys);
        Assert.Equal(3, series.Count(s => s.Key.IsLeaf));
        Assert.Single(series, s => s.Key.IsTotal);
    }

    [Fact]
    public void LeavesSpanTheirFirstToLastObservedHourWithGapsAsNaN()
    {
        var series = SeriesBuilder.Build(Rows(), ForecastTarget.Tokens, PriceTable.Default).ToDictionary(s => s.Key);

        var p1m1 = series[new("p1", "m1")];
        Assert.Equal(H0, p1m1.Start);
        Assert.Equal([10, 11, double.NaN, 13, 14, 15], p1m1.Values);
        Assert.Equal(1, p1m1.Gaps);

        var p1m2 = series[new("p1", "m2")];
        Assert.Equal(H0.AddHours(2), p1m2.Start);
        Assert.Equal([100, 200, 300], p1m2.Values);
        Assert.Equal(H0.AddHours(4), p1m2.LastHour);
    }

    [Theory]
    [InlineData("p1/*")]
    [InlineData("p2/*")]
    [InlineData("*/m1")]
    [InlineData("*/m2")]
    [InlineData("*/*")]
    public void RollupHourIsTheSumOfItsLeavesWithZeroOutsideASpanAndNaNForAGap(string group)
    {
        var key = SeriesKey.Parse(group);
        var series = SeriesBuilder.Build(Rows(), ForecastTarget.Tokens, PriceTable.Default).Single(s => s.Key == key);

        for (var hour = 0; hour < 6; hour++)
        {
            var expected = 0.0;
            foreach (var (leaf, values) in Leaves.Where(l => key.Contains(l.Key)))
            {
                expected += values[hour] ?? 0;
            }

            var index = hour - (int)(series.Start - H0).TotalHours;
            if (index < 0)
            {
                // A roll-up may start later only where its leaves have not started yet.
                Assert.Equal(0, expected);
                continue;
            }

            Assert.Equal(expected, series.Values[index]);
        }

        Assert.Equal(H0.AddHours(5), series.LastHour);
    }

    [Fact]
    public void RollupsContainingTheGapAreNaNThereAndOthersAreNot()
    {
        var series = SeriesBuilder.Build(Rows(), ForecastTarget.Tokens, PriceTable.Default).ToDictionary(s => s.Key.ToString());

        Assert.True(double.IsNaN(ValueAt(series["p1/*"], 2)));
        Assert.True(double.IsNaN(ValueAt(series["*/m1"], 2)));
        Assert.True(double.IsNaN(ValueAt(series["*/*"], 2)));
        Assert.Equal(3000, ValueAt(series["p2/*"], 2));
        Assert.Equal(100, ValueAt(series["*/m2"], 2));

        // p1/m2 is outside its span at hours 0 and 5: it adds zero, not a gap.
        Assert.Equal(10, ValueAt(series["p1/*"], 0));
        Assert.Equal(15, ValueAt(series["p1/*"], 5));
        Assert.Equal(0, ValueAt(series["*/m2"], 5));
        Assert.Equal(15 + 6000, ValueAt(series["*/*"], 5));
    }

    [Fact]
    public void WithoutRollupsOnlyLeavesAreReturned()
    {
        var series = SeriesBuilder.Build(Rows(), ForecastTarget.Tokens, PriceTable.Default, rollups: false);

        Assert.Equal(3, series.Count);
        Assert.All(series, s => Assert.True(s.Key.IsLeaf));
    }

    [Fact]
    public void NoRowsGiveNoSeries()
    {
        Assert.Empty(SeriesBuilder.Build([], ForecastTarget.Tokens, PriceTable.Default));
    }

    [Fact]
    public void RequestsTargetCountsRequests()
    {
        var rows = new[]
        {
            Usage(0, "p", "gpt-4.1") with { Requests = 7 },
            Usage(1, "p", "gpt-4.1") with { Requests = 9 },
        };

        var leaf = SeriesBuilder.Build(rows, ForecastTarget.Requests, PriceTable.Default, rollups: false).Single();

        Assert.Equal([7, 9], leaf.Values);
    }

    [Fact]
    public void CostTargetUsesReportedCostElseThePriceTable()
    {
        var rows = new[]
        {
            Usage(0, "p", "gpt-4.1") with { InputTokens = 1_000_000, OutputTokens = 500_000, CostUsd = 0.25 },
            Usage(1, "p", "gpt-4.1") with { InputTokens = 1_000_000, OutputTokens = 500_000 },
        };

        var leaf = SeriesBuilder.Build(rows, ForecastTarget.Cost, PriceTable.Default, rollups: false).Single();

        // gpt-4.1 lists $2 per million input and $8 per million output tokens: 2 + 0.5 × 8 = 6.
        Assert.Equal(0.25, leaf.Values[0]);
        Assert.Equal(6.0, leaf.Values[1], 12);
    }

    [Fact]
    public void CostOfAnUnpricedModelWithoutReportedCostIsNaNInLeafAndRollups()
    {
        var rows = new[]
        {
            Usage(0, "p", "mystery-model") with { InputTokens = 1000 },
            Usage(1, "p", "mystery-model") with { InputTokens = 1000, CostUsd = 0.5 },
            Usage(0, "p", "gpt-4.1") with { InputTokens = 1_000_000 },
            Usage(1, "p", "gpt-4.1") with { InputTokens = 1_000_000 },
        };

        var series = SeriesBuilder.Build(rows, ForecastTarget.Cost, PriceTable.Default).ToDictionary(s => s.Key.ToString());

        Assert.True(double.IsNaN(series["p/mystery-model"].Values[0]));
        Assert.Equal(0.5, series["p/mystery-model"].Values[1]);
        Assert.Equal(H0, series["p/*"].Start);
        Assert.True(double.IsNaN(ValueAt(series["p/*"], 0)));
        Assert.Equal(2.5, ValueAt(series["p/*"], 1), 12);
        Assert.Equal(2.0, ValueAt(series["*/gpt-4.1"], 0), 12);
    }

    [Fact]
    public void RollupStartsWithItsEarliestLeafEvenWhenThatHourIsZero()
    {
        var rows = new[]
        {
            Usage(0, "p", "a") with { InputTokens = 0 },
            Usage(1, "p", "a") with { InputTokens = 5 },
            Usage(1, "p", "b") with { InputTokens = 7 },
        };

        var series = SeriesBuilder.Build(rows, ForecastTarget.Tokens, PriceTable.Default).ToDictionary(s => s.Key.ToString());

        // An observed zero is data: the leaf and every roll-up containing it keep hour 0.
        Assert.Equal([0.0, 5], series["p/a"].Values);
        Assert.Equal(H0, series["p/*"].Start);
        Assert.Equal([0.0, 12], series["p/*"].Values);
        Assert.Equal(H0.AddHours(1), series["*/b"].Start);
        Assert.Equal([7.0], series["*/b"].Values);
    }

    [Fact]
    public void RowsInAnyOrderGiveTheSameSeriesAndALaterRowOfAnHourReplacesAnEarlierOne()
    {
        var inOrder = SeriesBuilder.Build(Rows(), ForecastTarget.Tokens, PriceTable.Default);
        // Shuffled, with a stale copy of every row read before it (the later one wins, as an upsert does), and one hour in
        // another offset (the same instant).
        var random = new Random(3);
        var rows = Rows().SelectMany(r => new[] { r with { InputTokens = 1, OutputTokens = 1 }, r }).ToList();
        var shuffled = rows.Select((r, i) => (r, i, key: random.Next())).OrderBy(x => x.key).ToList();
        // Keep each stale copy before its row: sort each pair back into reading order after the shuffle.
        var order = shuffled.Select(x => x.i).ToList();
        var read = new List<HourlyUsage>();
        var seen = new HashSet<int>();
        foreach (var i in order)
        {
            var pair = i / 2;
            if (seen.Add(pair))
            {
                read.Add(rows[2 * pair]);
                read.Add(rows[(2 * pair) + 1]);
            }
        }

        read[^1] = read[^1] with { Hour = read[^1].Hour.ToOffset(TimeSpan.FromHours(2)) };
        read[^2] = read[^2] with { Hour = read[^2].Hour.ToOffset(TimeSpan.FromHours(-5)) };

        var built = SeriesBuilder.Build(read, ForecastTarget.Tokens, PriceTable.Default);

        Assert.Equal(inOrder.Select(s => s.Key), built.Select(s => s.Key));
        foreach (var (expected, actual) in inOrder.Zip(built))
        {
            Assert.Equal(expected.Start, actual.Start);
            Assert.Equal(expected.Values, actual.Values);
        }
    }

    private static IEnumerable<HourlyUsage> Rows()
    {
        foreach (var (key, values) in Leaves)
        {
            for (var hour = 0; hour < values.Length; hour++)
            {
                if (values[hour] is { } v && !double.IsNaN(v))
                {
                    // Tokens split between input and output: the target is their sum.
                    var input = (long)(v * 0.75);
                    yield return Usage(hour, key.Project, key.Model) with { InputTokens = input, OutputTokens = (long)v - input };
                }
            }
        }
    }

    private static HourlyUsage Usage(int hour, string project, string model) =>
        new() { Hour = H0.AddHours(hour), Project = project, Model = model };

    private static double ValueAt(HourlySeries series, int hour) => series.Values[hour - (int)(series.Start - H0).TotalHours];
}
