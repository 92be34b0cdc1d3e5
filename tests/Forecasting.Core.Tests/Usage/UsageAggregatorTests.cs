using Forecasting.Core.Usage;

namespace Forecasting.Core.Tests.Usage;

public sealed class UsageAggregatorTests
{
    private static readonly DateTimeOffset H0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RowsInTheSameHourModelAndProjectAreSummed()
    {
        var aggregator = new UsageAggregator();

        aggregator.Add(Row(H0.AddMinutes(5)) with { InputTokens = 100, OutputTokens = 10, Requests = 1, CachedInputTokens = 40, CostUsd = 0.25, Errors = 1, LatencyMsP50 = 200, LatencyMsP95 = 900 });
        aggregator.Add(Row(H0.AddMinutes(59)) with { InputTokens = 300, OutputTokens = 30, Requests = 2, CostUsd = 0.5, LatencyMsP50 = 300, LatencyMsP95 = 700 });

        var row = Assert.Single(aggregator.ToList());
        Assert.Equal(H0, row.Hour);
        Assert.Equal(400, row.InputTokens);
        Assert.Equal(40, row.OutputTokens);
        Assert.Equal(3, row.Requests);
        Assert.Equal(40, row.CachedInputTokens);
        Assert.Equal(0.75, row.CostUsd!.Value, 12);
        Assert.Equal(1, row.Errors);
        Assert.Equal(300, row.LatencyMsP50);
        Assert.Equal(900, row.LatencyMsP95);
    }

    [Fact]
    public void OptionalCountsStayUnknownWhenNoRowKnowsThem()
    {
        var aggregator = new UsageAggregator();

        aggregator.Add(Row(H0) with { InputTokens = 1 });
        aggregator.Add(Row(H0) with { InputTokens = 2 });

        var row = Assert.Single(aggregator.ToList());
        Assert.Null(row.CachedInputTokens);
        Assert.Null(row.CostUsd);
        Assert.Null(row.Errors);
        Assert.Null(row.LatencyMsP95);
    }

    [Fact]
    public void DifferentHoursModelsAndProjectsStaySeparateInStableOrder()
    {
        var aggregator = new UsageAggregator();

        aggregator.Add(Row(H0.AddHours(1)) with { Requests = 1 });
        aggregator.Add(Row(H0, project: "b") with { Requests = 2 });
        aggregator.Add(Row(H0, model: "z") with { Requests = 3 });
        aggregator.Add(Row(H0) with { Requests = 4 });
        aggregator.Add(Row(H0.AddMinutes(30)) with { Requests = 5 });

        var rows = aggregator.ToList();

        Assert.Equal(4, aggregator.Count);
        Assert.Equal([(H0, "a", "m"), (H0, "a", "z"), (H0, "b", "m"), (H0.AddHours(1), "a", "m")], rows.Select(r => (r.Hour, r.Project, r.Model)));
        Assert.Equal([9L, 3, 2, 1], rows.Select(r => r.Requests));
    }

    [Fact]
    public void OverflowingCountsThrowRatherThanWrap()
    {
        var aggregator = new UsageAggregator();
        aggregator.Add(Row(H0) with { InputTokens = long.MaxValue });

        Assert.Throws<OverflowException>(() => aggregator.Add(Row(H0) with { InputTokens = 1 }));
    }

    private static HourlyUsage Row(DateTimeOffset hour, string project = "a", string model = "m") =>
        new() { Hour = hour, Project = project, Model = model };
}
