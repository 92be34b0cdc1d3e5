using Forecasting.Core.Forecasting;

namespace Forecasting.Core.Tests.Forecasting;

public sealed class ModelIdTests
{
    [Theory]
    [InlineData("snaive", ModelKind.SeasonalNaive, 168)]
    [InlineData("snaive24", ModelKind.SeasonalNaive, 24)]
    [InlineData("smedian", ModelKind.SeasonalMedian, 168)]
    [InlineData("smedian24", ModelKind.SeasonalMedian, 24)]
    [InlineData("theta", ModelKind.Theta, 24)]
    [InlineData("theta168", ModelKind.Theta, 168)]
    [InlineData("ssa", ModelKind.Ssa, 0)]
    [InlineData("fasttree", ModelKind.FastTree, 0)]
    [InlineData("ensemble", ModelKind.Ensemble, 168)]
    [InlineData("ensemble24", ModelKind.Ensemble, 24)]
    [InlineData("ensemble-n", ModelKind.NaiveEnsemble, 0)]
    [InlineData("combination", ModelKind.Combination, 0)]
    public void Names_written_today_parse_to_kind_and_period_and_format_back_unchanged(string name, ModelKind kind, int period)
    {
        var id = ModelId.Parse(name);

        Assert.Equal((kind, period), (id.Kind, id.Period));
        Assert.Equal(name, id.ToString());
    }

    [Fact]
    public void Factories_format_to_the_names_files_hold()
    {
        Assert.Equal("snaive", ModelId.SeasonalNaive(Horizon.HoursPerWeek).ToString());
        Assert.Equal("snaive24", ModelId.SeasonalNaive(Horizon.HoursPerDay).ToString());
        Assert.Equal("smedian24", ModelId.SeasonalMedian(Horizon.HoursPerDay).ToString());
        Assert.Equal("theta168", ModelId.Theta(Horizon.HoursPerWeek).ToString());
        Assert.Equal("ensemble24", ModelId.Ensemble(Horizon.HoursPerDay).ToString());
    }

    [Fact]
    public void Only_the_seasonal_naive_is_the_baseline()
    {
        Assert.True(ModelId.Parse("snaive").IsBaseline);
        Assert.True(ModelId.Parse("snaive24").IsBaseline);
        Assert.False(ModelId.Parse("smedian").IsBaseline);
        Assert.False(ModelId.Parse("ensemble-n").IsBaseline);
        Assert.False(ModelId.Parse("served").IsBaseline);
    }

    [Fact]
    public void A_combination_carries_its_models_and_weights_and_formats_them_invariantly()
    {
        var id = ModelId.Combination([new ModelWeight("fasttree", 0.41), new ModelWeight("smedian", 0.3333), new ModelWeight("ensemble", 0.2567)]);

        Assert.Equal("combination(fasttree 0.41; smedian 0.3333; ensemble 0.2567)", id.ToString());
        var parsed = ModelId.Parse(id.ToString());
        Assert.Equal(ModelKind.Combination, parsed.Kind);
        Assert.Equal(id, parsed);
        Assert.Equal(["fasttree", "smedian", "ensemble"], parsed.Parts.Select(p => p.Model));
    }

    [Theory]
    [InlineData("served")]
    [InlineData("bottom-up")]
    [InlineData("snaive168")]
    [InlineData("smedian168")]
    [InlineData("combination(fasttree)")]
    [InlineData("my-model")]
    public void Other_names_are_kept_as_written(string name)
    {
        var id = ModelId.Parse(name);

        Assert.Equal(ModelKind.Other, id.Kind);
        Assert.Equal(name, id.ToString());
        Assert.Equal(ModelId.Parse(name), id);
    }
}
