namespace Forecasting.Core.Forecasting;

/// <summary>What a model is, without its parameters (<see cref="ModelId"/> carries those).</summary>
public enum ModelKind
{
    /// <summary>A name outside the engine's vocabulary (a test's model, a served label): kept as written.</summary>
    Other,

    /// <summary>Each hour repeats the same hour one period ago: the baseline every model must beat.</summary>
    SeasonalNaive,

    /// <summary>The median of the same hour over the last few periods.</summary>
    SeasonalMedian,

    /// <summary>The Theta method on a series seasonally adjusted by the period's profile.</summary>
    Theta,

    /// <summary>Singular spectrum analysis.</summary>
    Ssa,

    /// <summary>The global FastTree over every series.</summary>
    FastTree,

    /// <summary>The mean of the seasonal median, SSA and FastTree (weekly, or daily with a period of 24).</summary>
    Ensemble,

    /// <summary>The mean of the seasonal naive baseline, SSA and FastTree.</summary>
    NaiveEnsemble,

    /// <summary>A weighted mean of a series' best models (<see cref="ModelId.Parts"/>, none for the served label).</summary>
    Combination,
}
