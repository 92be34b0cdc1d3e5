using Forecasting.Api.Services;
using Forecasting.Core.Forecasting;

namespace Forecasting.Api.Tests;

/// <summary>The hour lookup behind autoscale: the arithmetic fast path and the general path must agree.</summary>
public sealed class ForecastLookupTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ConsecutiveOrderedDisorderedAndGappedHoursAllAnswerTheHourContainingTheInstant()
    {
        var consecutive = Enumerable.Range(0, 168).Select(h => new ForecastPoint(T0.AddHours(h), h, h + 1, h + 2)).ToList();
        var shuffled = consecutive.OrderBy(p => (p.P50 * 7919) % 168).ToList();
        var gapped = consecutive.Where(p => p.P50 is < 10 or >= 20).ToList();
        var random = new Random(7);

        for (var i = 0; i < 2000; i++)
        {
            var at = T0.AddMinutes(random.Next(-600, (170 * 60) + 600));
            var expected = Reference(consecutive, at);
            Assert.Equal(expected, ForecastLookup.At(consecutive, at));
            Assert.Equal(expected, ForecastLookup.At(shuffled, at));
            Assert.Equal(Reference(gapped, at), ForecastLookup.At(gapped, at));
        }
    }

    [Fact]
    public void AStaleRunsHoursInOrderAreLookedUpWithoutSortingOrAllocating()
    {
        // Autoscalers poll a stale run (beyond its last hour) as often as a fresh one: that answer must stay a lookup.
        var ordered = Enumerable.Range(0, 168).Select(h => new ForecastPoint(T0.AddHours(h), h, h + 1, h + 2)).ToArray();
        var beyond = T0.AddDays(30);
        var before = T0.AddDays(-1);
        Assert.Same(ordered[^1], ForecastLookup.At(ordered, beyond));
        Assert.Same(ordered[0], ForecastLookup.At(ordered, before));
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = ForecastLookup.At(ordered, beyond);
            _ = ForecastLookup.At(ordered, before);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - allocated);
    }

    /// <summary>The rule as written: the point containing the instant; the first before the forecast; the last beyond it or in a gap.</summary>
    private static ForecastPoint Reference(List<ForecastPoint> points, DateTimeOffset at)
    {
        var ordered = points.OrderBy(p => p.Hour).ToList();
        return at < ordered[0].Hour ? ordered[0] : ordered.LastOrDefault(p => p.Hour <= at && at < p.Hour.AddHours(1)) ?? ordered[^1];
    }
}
