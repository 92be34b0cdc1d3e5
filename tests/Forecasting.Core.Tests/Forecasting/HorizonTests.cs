using Forecasting.Core.Forecasting;

namespace Forecasting.Core.Tests.Forecasting;

public sealed class HorizonTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(24)]
    [InlineData(Horizon.Default)]
    [InlineData(Horizon.Maximum)]
    public void AHorizonFromOneHourToEightWeeksIsKept(int hours)
    {
        Assert.True(Horizon.IsValid(hours));
        Assert.Equal(hours, Horizon.Validate(hours, "--horizon"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(Horizon.Maximum + 1)]
    [InlineData(int.MaxValue)]
    public void AnyOtherIsAUserErrorNamingTheSettingAsTheAdapterCallsIt(int hours)
    {
        Assert.False(Horizon.IsValid(hours));
        var e = Assert.Throws<InvalidInputException>(() => Horizon.Validate(hours, "Forecasting:Horizon"));

        Assert.Equal($"Forecasting:Horizon must be between 1 and {Horizon.Maximum} hours (eight weeks), got {hours}", e.Message);
    }

    // The forecast use case trusts its horizon: the CLI's --horizon (forecast, backtest, train) is checked here, once.
    [Theory]
    [InlineData(0)]
    [InlineData(24 * 7 * 8 + 1)]
    [InlineData(1_000_000)]
    public void AHorizonOutsideOneHourToEightWeeksIsAUserError(int hours)
    {
        var error = Assert.Throws<InvalidInputException>(() => Horizon.Validate(hours, "--horizon"));

        Assert.Contains("--horizon must be between 1 and 1344 hours", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultAndThePlanningWeekAreAWeekAndTheBoundEightOfThem()
    {
        Assert.Equal(7 * 24, Horizon.HoursPerWeek);
        Assert.Equal(Horizon.HoursPerWeek, Horizon.Default);
        Assert.Equal(Horizon.HoursPerWeek, Horizon.PlanningWeek);
        Assert.Equal(8 * Horizon.HoursPerWeek, Horizon.Maximum);
    }
}
