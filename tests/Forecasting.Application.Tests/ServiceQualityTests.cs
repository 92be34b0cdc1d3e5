using Forecasting.Application;
using Forecasting.Core.Usage;

namespace Forecasting.Application.Tests;

public sealed class ServiceQualityTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void LatencyIsWeightedByRequestsAndErrorsAreOverRequestsPerModelAndDay()
    {
        HourlyUsage[] rows =
        [
            new() { Hour = Day, Model = "m", Project = "a", Requests = 300, LatencyMsP50 = 100, LatencyMsP95 = 400, Errors = 3 },
            new() { Hour = Day.AddHours(1), Model = "m", Project = "b", Requests = 100, LatencyMsP50 = 500, LatencyMsP95 = 800, Errors = 5 },
            // Before the window: left out.
            new() { Hour = Day.AddDays(-1), Model = "m", Project = "a", Requests = 100, LatencyMsP50 = 9_000, Errors = 100 },
            // No latency or errors reported: counted in requests only.
            new() { Hour = Day.AddDays(1), Model = "n", Project = "a", Requests = 50 },
        ];

        var days = ServiceQuality.Daily(rows, Day);

        Assert.Equal(2, days.Count);
        var m = days[0];
        Assert.Equal(("m", DateOnly.FromDateTime(Day.UtcDateTime), 400L), (m.Model, m.Day, m.Requests));
        Assert.Equal(200, m.LatencyMsP50);
        Assert.Equal(500, m.LatencyMsP95);
        Assert.Equal(0.02, m.ErrorRate);
        Assert.Equal(("n", 50L, (double?)null, (double?)null), (days[1].Model, days[1].Requests, days[1].LatencyMsP95, days[1].ErrorRate));
    }
}
