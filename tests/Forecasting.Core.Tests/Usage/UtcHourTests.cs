using Forecasting.Core.Usage;

namespace Forecasting.Core.Tests.Usage;

public sealed class UtcHourTests
{
    [Fact]
    public void TruncateDropsMinutesAndConvertsToUtc()
    {
        var local = new DateTimeOffset(2026, 1, 10, 8, 45, 30, 123, TimeSpan.FromHours(2));

        var hour = UtcHour.Truncate(local);

        Assert.Equal(new DateTimeOffset(2026, 1, 10, 6, 0, 0, TimeSpan.Zero), hour);
        Assert.Equal(TimeSpan.Zero, hour.Offset);
    }

    [Fact]
    public void TruncateOfAnHourIsItself()
    {
        var hour = new DateTimeOffset(2026, 1, 10, 6, 0, 0, TimeSpan.Zero);

        Assert.Equal(hour, UtcHour.Truncate(hour));
        Assert.True(UtcHour.IsOnTheHour(hour));
        Assert.False(UtcHour.IsOnTheHour(hour.AddTicks(1)));
    }

    [Fact]
    public void HalfHourOffsetsAreOnTheHourOnlyInUtc()
    {
        // 10:00 at +05:30 is 04:30 UTC.
        var india = new DateTimeOffset(2026, 1, 10, 10, 0, 0, TimeSpan.FromMinutes(330));

        Assert.False(UtcHour.IsOnTheHour(india));
        Assert.Equal(new DateTimeOffset(2026, 1, 10, 4, 0, 0, TimeSpan.Zero), UtcHour.Truncate(india));
    }

    [Fact]
    public void FormatAndUnixSecondsUseUtc()
    {
        // 2026-01-10T06:00Z is 20463 days and 6 hours after the epoch.
        var seconds = (20463L * 86400) + (6 * 3600);

        Assert.Equal(new DateTimeOffset(2026, 1, 10, 6, 0, 0, TimeSpan.Zero), UtcHour.FromUnixSeconds(seconds));
        Assert.Equal("2026-01-10T06:00:00Z", UtcHour.Format(new DateTimeOffset(2026, 1, 10, 8, 0, 0, TimeSpan.FromHours(2))));
    }
}
