using Forecasting.ML.Models;

namespace Forecasting.ML.Tests.Models;

public sealed class EngineModelsTests
{
    [Fact]
    public void SeriesWithoutACalendarHaveBothThetaCandidatesUnderUniqueNames()
    {
        var names = EngineModels.ForUnknownCalendar().Select(m => m.Name).ToList();

        // The backtest's choice and a combination's weights name models: two models under one name would be confused.
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("theta", names);
        Assert.Contains("theta168", names);
        Assert.Equal("snaive24", names[0]);
    }

    [Fact]
    public void UsageModelsAreUnchangedByTheThetaCandidates()
    {
        var names = EngineModels.ForServing(null).Select(m => m.Name).ToList();

        Assert.DoesNotContain(names, n => n.StartsWith("theta", StringComparison.Ordinal));
    }
}
