using Forecasting.Core.Features;
using Forecasting.Core.Forecasting;
using Forecasting.ML.FastTree;
using Forecasting.ML.Ssa;

namespace Forecasting.ML;

/// <summary>The models the engine compares, in one place: baselines first (the first is the relative-MAE reference).</summary>
public static class EngineModels
{
    /// <summary>Hourly usage with real timestamps: calendar features on, weekly seasonality.</summary>
    public static IReadOnlyList<IForecasterFactory> ForUsage(FeatureOptions? features = null) =>
        Build(168, new FastTreeOptions { Features = features ?? new FeatureOptions() });

    /// <summary>The same models for serving, with the global FastTree loaded from the registry instead of trained.</summary>
    public static IReadOnlyList<IForecasterFactory> ForServing(GlobalFastTreeModel? fastTree) =>
        Build(168, fastTree?.Options ?? new FastTreeOptions(), fastTree is null ? null : new PretrainedFastTreeFactory(fastTree));

    /// <summary>Series without a calendar (M4): lag features only, daily seasonality as the baseline's period.</summary>
    public static IReadOnlyList<IForecasterFactory> ForUnknownCalendar() =>
        Build(24, new FastTreeOptions { Features = new FeatureOptions { Calendar = false, SameHourWeeks = 2 } });

    private static List<IForecasterFactory> Build(int baselinePeriod, FastTreeOptions fastTree, IForecasterFactory? pretrained = null)
    {
        var naive = new MemoizedFactory(LocalForecasterFactory.SeasonalNaive(baselinePeriod));
        var median = new MemoizedFactory(LocalForecasterFactory.SeasonalMedian(168, 4));
        var ssa = new MemoizedFactory(new LocalForecasterFactory("ssa", _ => new SsaForecaster()));
        var tree = new MemoizedFactory(pretrained ?? new GlobalFastTreeFactory(fastTree));
        return
        [
            naive,
            median,
            ssa,
            tree,
            new EnsembleFactory([naive, ssa, tree], "ensemble-n"),
            new EnsembleFactory([median, ssa, tree]),
        ];
    }
}
