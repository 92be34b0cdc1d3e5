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

    [Fact]
    public void EveryFallbackAndDefaultIsAServedModel()
    {
        var names = EngineModels.ForServing(null).Select(m => m.Name).ToList();

        Assert.Equal(["smedian24", "snaive24"], EngineModels.FallbacksFor(100).Select(f => f.ToString()));
        Assert.Equal(["smedian", "snaive", "snaive24"], EngineModels.FallbacksFor(1000).Select(f => f.ToString()));
        Assert.All(EngineModels.FallbacksFor(100).Concat(EngineModels.FallbacksFor(1000)), f => Assert.Contains(f.ToString(), names));
        Assert.Equal("ensemble24", EngineModels.DefaultFor(100).ToString());
        Assert.Equal("ensemble", EngineModels.DefaultFor(1000).ToString());
        Assert.Contains("ensemble24", names);
        Assert.Contains("ensemble", names);
    }
}
