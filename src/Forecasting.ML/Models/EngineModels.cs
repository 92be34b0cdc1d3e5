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
        Build(Horizon.HoursPerWeek, new FastTreeOptions { Features = features ?? new FeatureOptions() });

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
        longestHistory >= BacktestOptions.WeeklyHistory ? Build(Horizon.HoursPerWeek, fastTree) : Daily(fastTree);

    /// <summary>
    /// The same models for serving, with the global FastTree loaded from the registry instead of trained: the weekly
    /// ones and the daily ones, so whatever a version selected can be served.
    /// </summary>
    public static IReadOnlyList<IForecasterFactory> ForServing(GlobalFastTreeModel? fastTree)
    {
        var options = fastTree?.Options ?? new FastTreeOptions();
        var pretrained = fastTree is null ? null : new PretrainedFastTreeFactory(fastTree);
        var weekly = Build(Horizon.HoursPerWeek, options, pretrained);
        return [.. weekly, .. Daily(options, pretrained).Where(d => weekly.All(w => w.Name != d.Name))];
    }

    /// <summary>The ensemble served to a series that has none selected (new since training).</summary>
    public static ModelId DefaultFor(int history) => ModelId.Ensemble(history >= BacktestOptions.WeeklyHistory ? Horizon.HoursPerWeek : Horizon.HoursPerDay);

    /// <summary>
    /// The models that serve a series its chosen model fails on, in order: the seasonal median, then the naive; daily
    /// ones for a series under <see cref="BacktestOptions.WeeklyHistory"/> hours, else weekly ones, then the daily naive.
    /// </summary>
    public static IReadOnlyList<ModelId> FallbacksFor(int history) =>
        history < BacktestOptions.WeeklyHistory
            ? [ModelId.SeasonalMedian(Horizon.HoursPerDay), ModelId.SeasonalNaive(Horizon.HoursPerDay)]
            : [ModelId.SeasonalMedian(Horizon.HoursPerWeek), ModelId.SeasonalNaive(Horizon.HoursPerWeek), ModelId.SeasonalNaive(Horizon.HoursPerDay)];

    /// <summary>
    /// Series without a calendar (M4): lag features only, daily seasonality as the baseline's period; with the weekly
    /// seasonal naive, the daily median of the last 7 days and the seasonally adjusted Theta method (daily and weekly
    /// profile) as further candidates, for the backtest to choose from and combine.
    /// </summary>
    /// <param name="maxRows">The global FastTree's training-row budget; the default when null.</param>
    public static IReadOnlyList<IForecasterFactory> ForUnknownCalendar(int? maxRows = null)
    {
        var fastTree = new FastTreeOptions { Features = new FeatureOptions { Calendar = false, SameHourWeeks = 2 } };
        var models = Build(Horizon.HoursPerDay, maxRows is { } rows ? fastTree with { MaxRows = rows } : fastTree);
        models.Insert(2, new MemoizedFactory(LocalForecasterFactory.SeasonalNaive(Horizon.HoursPerWeek)));
        models.Insert(3, new MemoizedFactory(LocalForecasterFactory.SeasonalMedian(Horizon.HoursPerDay, 7)));
        models.Insert(4, new MemoizedFactory(Theta(Horizon.HoursPerDay)));
        models.Insert(5, new MemoizedFactory(Theta(Horizon.HoursPerWeek)));
        return models;
    }

    private static List<IForecasterFactory> Daily(FastTreeOptions fastTree, IForecasterFactory? pretrained = null)
    {
        var naive = new MemoizedFactory(LocalForecasterFactory.SeasonalNaive(Horizon.HoursPerDay));
        var median = new MemoizedFactory(Median(Horizon.HoursPerDay, 7));
        // The weekly median too, over the one or two weeks there are: weekends differ, and the backtest decides.
        var weekly = new MemoizedFactory(Median(Horizon.HoursPerWeek, 4));
        var ssa = new MemoizedFactory(Ssa());
        var tree = new MemoizedFactory(pretrained ?? new GlobalFastTreeFactory(fastTree));
        return [naive, median, weekly, ssa, tree, new EnsembleFactory([median, ssa, tree], ModelId.Ensemble(Horizon.HoursPerDay))];
    }

    private static List<IForecasterFactory> Build(int baselinePeriod, FastTreeOptions fastTree, IForecasterFactory? pretrained = null)
    {
        var naive = new MemoizedFactory(LocalForecasterFactory.SeasonalNaive(baselinePeriod));
        var median = new MemoizedFactory(Median(Horizon.HoursPerWeek, 4));
        var ssa = new MemoizedFactory(Ssa());
        var tree = new MemoizedFactory(pretrained ?? new GlobalFastTreeFactory(fastTree));
        return
        [
            naive,
            median,
            ssa,
            tree,
            new EnsembleFactory([naive, ssa, tree], ModelId.NaiveEnsemble),
            new EnsembleFactory([median, ssa, tree], ModelId.Ensemble(Horizon.HoursPerWeek)),
        ];
    }

    // The models that read further back than a recent level shift read the history at its new level (LevelShifted);
    // the seasonal naive (the baseline) reads one cycle and is left as it is.
    private static LocalForecasterFactory Ssa() => new(ModelId.Ssa, _ => new LevelShifted(new SsaForecaster()));

    private static LocalForecasterFactory Median(int period, int cycles) => new(ModelId.SeasonalMedian(period), _ => new LevelShifted(new SeasonalMedian(period, cycles)));

    private static LocalForecasterFactory Theta(int period) => new(ModelId.Theta(period), _ => new SeasonalTheta(period));
}
