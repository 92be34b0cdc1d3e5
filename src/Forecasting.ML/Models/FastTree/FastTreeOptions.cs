using Forecasting.Core.Features;

namespace Forecasting.ML.Models.FastTree;

/// <summary>Hyper-parameters of the global FastTree model; recorded in model manifests.</summary>
public sealed record FastTreeOptions
{
    public FeatureOptions Features { get; init; } = new();

    public int NumberOfTrees { get; init; } = 300;

    public int NumberOfLeaves { get; init; } = 31;

    public int MinimumExampleCountPerLeaf { get; init; } = 20;

    public double LearningRate { get; init; } = 0.08;

    /// <summary>Training rows taken from each series' most recent history at most: recent behaviour matters most.</summary>
    public int MaxRowsPerSeries { get; init; } = 24 * 7 * 12;

    /// <summary>
    /// Row budget of one training: beyond it the rows are a stratified sample of (series, hour) (see TrainingSample), so
    /// memory and time per training stay bounded however many series there are. The default is the smallest budget
    /// whose backtest accuracy was within about 1 % of training on every row (README, Benchmarks).
    /// </summary>
    public int MaxRows { get; init; } = 100_000;

    public int Seed { get; init; } = 42;

    /// <summary>Fit on log1p of the scaled values so hours of very different size weigh alike.</summary>
    public bool LogTarget { get; init; }

    /// <summary>
    /// Divide each row's value features and its label by the row's own level (mean of the previous
    /// 24 hours): trees cannot extrapolate, but a ratio to the recent level carries a trend or a step on.
    /// </summary>
    public bool LocalNormalization { get; init; } = true;
}
