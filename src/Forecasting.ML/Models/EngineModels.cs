using Forecasting.Core.Backtesting;
using Forecasting.Core.Features;
using Forecasting.Core.Forecasting;
using Forecasting.ML.Models.FastTree;
using Forecasting.ML.Models.Ssa;

namespace Forecasting.ML.Models;

/// <summary>The models the engine compares, in one place: baselines first (the first is the relative-MAE reference).</summary>
public static class EngineModels
{
    /// <summary>Hourly usage with real timestamps: calendar features on, weekly seasonality.</summary>
    public static IReadOnlyList<IForecasterFactory> ForUsage(FeatureOptions? features = null) =>
        Build(168, new FastTreeOptions { Features = features ?? new FeatureOptions() });

    /// <summary>
    /// The models for a history of <paramref name="longestHistory"/> hours: <see cref="ForUsage"/>, or under three
    /// weeks (<see cref="BacktestOptions.WeeklyHistory"/>) daily ones, since a weekly cycle seen once or twice is
    /// mostly noise: seasonal naive 24 h (the baseline), the median of the same hour over the last 7 days, the weekly
    /// median of what there is, SSA, FastTree (its seasonal-median fallback until it has enough rows) and an ensemble.
    /// </summary>
    public static IReadOnlyList<IForecasterFactory> ForHistory(int longestHistory, FeatureOptions? features = null) =>
        ForHistory(longestHistory, new FastTreeOptions { Features = features ?? new FeatureOptions() });

    /// <summary><see cref="ForHistory(int, FeatureOptions?)"/> with the global FastTree's options (features, row budget) given.</summary>
    public static IReadOnlyList<IForecasterFactory> ForHistory(int longestHistory, FastTreeOptions fastTree) =>
        longestHistory >= BacktestOptions.WeeklyHistory ? Build(168, fastTree) : Daily(fastTree);

    /// <summary>
    /// The same models for serving, with the global FastTree loaded from the registry instead of trained: the weekly
    /// ones and the daily ones, so whatever a version selected can be served.
    /// </summary>
    public static IReadOnlyList<IForecasterFactory> ForServing(GlobalFastTreeModel? fastTree)
    {
        var options = fastTree?.Options ?? new FastTreeOptions();
        var pretrained = fastTree is null ? null : new PretrainedFastTreeFactory(fastTree);
        var weekly = Build(168, options, pretrained);
        return [.. weekly, .. Daily(options, pretrained).Where(d => weekly.All(w => w.Name != d.Name))];
    }

    /// <summary>The name of the ensemble served to a series that has none selected (new since training).</summary>
    public static string DefaultFor(int history) => history >= BacktestOptions.WeeklyHistory ? "ensemble" : "ensemble24";

    /// <summary>
    /// Series without a calendar (M4): lag features only, daily seasonality as the baseline's period; with the weekly
    /// seasonal naive, the daily median of the last 7 days and the seasonally adjusted Theta method (daily and weekly
    /// profile) as further candidates, for the backtest to choose from and combine.
    /// </summary>
    /// <param name="maxRows">The global FastTree's training-row budget; the default when null.</param>
    public static IReadOnlyList<IForecasterFactory> ForUnknownCalendar(int? maxRows = null)
    {
        var fastTree = new FastTreeOptions { Features = new FeatureOptions { Calendar = false, SameHourWeeks = 2 } };
        var models = Build(24, maxRows is { } rows ? fastTree with { MaxRows = rows } : fastTree);
        models.Insert(2, new MemoizedFactory(LocalForecasterFactory.SeasonalNaive(168)));
        models.Insert(3, new MemoizedFactory(LocalForecasterFactory.SeasonalMedian(24, 7)));
        models.Insert(4, new MemoizedFactory(new LocalForecasterFactory(SeasonalTheta.NameOf(24), _ => new SeasonalTheta(24))));
        models.Insert(5, new MemoizedFactory(new LocalForecasterFactory(SeasonalTheta.NameOf(168), _ => new SeasonalTheta(168))));
        return models;
    }

    private static List<IForecasterFactory> Daily(FastTreeOptions fastTree, IForecasterFactory? pretrained = null)
    {
        var naive = new MemoizedFactory(LocalForecasterFactory.SeasonalNaive(24));
        var median = new MemoizedFactory(LocalForecasterFactory.SeasonalMedian(24, 7));
        // The weekly median too, over the one or two weeks there are: weekends differ, and the backtest decides.
        var weekly = new MemoizedFactory(LocalForecasterFactory.SeasonalMedian(168, 4));
        var ssa = new MemoizedFactory(new LocalForecasterFactory("ssa", _ => new SsaForecaster()));
        var tree = new MemoizedFactory(pretrained ?? new GlobalFastTreeFactory(fastTree));
        return [naive, median, weekly, ssa, tree, new EnsembleFactory([median, ssa, tree], "ensemble24")];
    }

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
