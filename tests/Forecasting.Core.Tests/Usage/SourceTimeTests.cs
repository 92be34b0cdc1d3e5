using Forecasting.Core.Usage;

namespace Forecasting.Core.Tests.Usage;

public sealed class SourceTimeTests
{
    private static readonly DateTimeOffset Expected = new(2026, 1, 5, 13, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-01-05T13:00:00Z")]
    [InlineData("2026-01-05T14:00:00+01:00")]
    [InlineData("2026-01-05T08:00:00-0500")]
    [InlineData("2026-01-05 13:00:00z")]
    public void ATimeWithAnOffsetIsTakenAsWrittenWhateverTheSourceSays(string text)
    {
        foreach (var assumeUtc in new[] { false, true })
        {
            Assert.Null(SourceTime.Parse(text, assumeUtc, out var value));
            Assert.Equal(Expected, value);
        }
    }

    [Theory]
    [InlineData("2026-01-05T13:00:00")]
    [InlineData("2026-01-05 13:00")]
    [InlineData("2026-01-05T13:00:00.000")]
    public void AnOffsetLessTimeIsRefusedUnlessTheSourceWritesUtc(string text)
    {
        var reason = SourceTime.Parse(text, assumeUtc: false, out _);
        Assert.NotNull(reason);
        Assert.Contains("has no offset", reason, StringComparison.Ordinal);
        Assert.Contains("assume_utc", reason, StringComparison.Ordinal);
        Assert.True(reason.Length <= 80, reason);

        Assert.Null(SourceTime.Parse(text, assumeUtc: true, out var value));
        Assert.Equal(Expected, value);
    }

    [Fact]
    public void GarbageIsNotATime() => Assert.NotNull(SourceTime.Parse("yesterday", assumeUtc: true, out _));
}
