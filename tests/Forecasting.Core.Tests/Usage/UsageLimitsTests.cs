using Forecasting.Core.Usage;

namespace Forecasting.Core.Tests.Usage;

public sealed class UsageLimitsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 14, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("gpt-4.1")]
    [InlineData("support bot")]
    [InlineData("é-café 教育")]
    [InlineData("<script>alert(1)")]
    [InlineData("rocket 🚀")]
    [InlineData("a*b")]
    public void PrintableNamesAreAccepted(string name) => Assert.Null(UsageLimits.CheckName(name));

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("*", "reserved")]
    [InlineData("a/b", "'/'")]
    [InlineData(" padded", "white space")]
    [InlineData("new\nline", "U+000A")]
    [InlineData("esc\u001b[0m", "U+001B")]
    [InlineData("right\u202Eleft", "U+202E")]
    [InlineData("private\uE000use", "U+E000")]
    public void UnsafeNamesAreRefusedWithAReason(string name, string reason) =>
        Assert.Contains(reason, UsageLimits.CheckName(name), StringComparison.Ordinal);

    [Fact]
    public void NamesAreBoundedAt200Characters()
    {
        Assert.Null(UsageLimits.CheckName(new string('é', 200)));
        Assert.Contains("201 characters long", UsageLimits.CheckName(new string('é', 201)), StringComparison.Ordinal);
    }

    [Fact]
    public void CountsAreBoundedSoSumsOfMillionsOfRowsFit()
    {
        Assert.Null(UsageLimits.CheckCount(0));
        Assert.Null(UsageLimits.CheckCount(UsageLimits.MaxCount));
        Assert.NotNull(UsageLimits.CheckCount(UsageLimits.MaxCount + 1));
        Assert.NotNull(UsageLimits.CheckCount(-1));
        // A row's input plus output, and the sum of nine million rows at the bound, fit in a long.
        Assert.True(2m * UsageLimits.MaxCount < long.MaxValue);
        Assert.True(9_000_000m * UsageLimits.MaxCount < long.MaxValue);
    }

    [Fact]
    public void HoursLieBetween2000AndADayFromNow()
    {
        Assert.Null(UsageLimits.CheckHour(UsageLimits.FirstHour, Now));
        Assert.Null(UsageLimits.CheckHour(Now.AddDays(1), Now));
        Assert.NotNull(UsageLimits.CheckHour(UsageLimits.FirstHour.AddHours(-1), Now));
        Assert.NotNull(UsageLimits.CheckHour(Now.AddDays(1).AddHours(1), Now));
        Assert.NotNull(UsageLimits.CheckHour(DateTimeOffset.MinValue, Now));
        Assert.NotNull(UsageLimits.CheckHour(DateTimeOffset.MaxValue, Now));
    }

    [Fact]
    public void ARowReportsItsFirstBadField()
    {
        var row = new HourlyUsage { Hour = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero), Model = "gpt-4.1", Project = "tutor", InputTokens = 10, OutputTokens = 1, Requests = 1 };

        Assert.Null(UsageLimits.Check(row, Now));
        Assert.Equal("hour", UsageLimits.Check(row with { Hour = row.Hour.AddMinutes(30) }, Now)?.Field);
        Assert.Equal("cached_input_tokens", UsageLimits.Check(row with { CachedInputTokens = 11 }, Now)?.Field);
        Assert.Equal("cost_usd", UsageLimits.Check(row with { CostUsd = double.PositiveInfinity }, Now)?.Field);
        Assert.Equal("latency_ms_p95", UsageLimits.Check(row with { LatencyMsP95 = -1 }, Now)?.Field);
        Assert.Equal("errors", UsageLimits.Check(row with { Errors = long.MaxValue }, Now)?.Field);
    }
}
