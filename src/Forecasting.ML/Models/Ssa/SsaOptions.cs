using Forecasting.Core.Forecasting;

namespace Forecasting.ML.Models.Ssa;

/// <summary>Settings of <see cref="SsaForecaster"/>. The defaults suit hourly traffic with daily and weekly cycles.</summary>
public sealed record SsaOptions
{
    /// <summary>
    /// Embedding window L in hours. A week lets one lag vector hold a whole week, so the weekly cycle
    /// is separable; Fit uses min(L, n/2) when the history is shorter than two windows.
    /// </summary>
    public int WindowLength { get; init; } = Horizon.HoursPerWeek;

    /// <summary>Most eigen-components kept; beyond ~30 the extra ones on hourly traffic are noise.</summary>
    public int MaxRank { get; init; } = 30;

    /// <summary>
    /// Share of the eigenvalue sum to keep, measured over the components after the leading one.
    /// The leading component is the level of a positive series and would otherwise hold almost all
    /// of the energy, so a plain cumulative share would keep the level and drop every cycle.
    /// </summary>
    public double EigenvalueShare { get; init; } = 0.95;

    /// <summary>
    /// Past the share, a component is still kept while its eigenvalue is at least this fraction of
    /// the same sum. A trend's second component is small next to a daily cycle yet carries the
    /// slope; noise spreads over ~L components, each far below 1%.
    /// </summary>
    public double MinComponentShare { get; init; } = 0.01;

    /// <summary>Only the last this many hours are fitted: eight weeks by default.</summary>
    public int TrainingHours { get; init; } = 24 * 7 * 8;

    /// <summary>
    /// Model log1p of the series, so daily and weekly effects are multiplicative like traffic's.
    /// Null: on when every observed value is non-negative.
    /// </summary>
    public bool? LogTransform { get; init; }

    /// <summary>
    /// A recurrent forecast that strays further than this multiple of the history's largest
    /// deviation from its mean (in the transformed scale, widened for long horizons) is taken as
    /// an explosion, and Predict retries with fewer components.
    /// </summary>
    public double ExplosionFactor { get; init; } = 2.0;
}
