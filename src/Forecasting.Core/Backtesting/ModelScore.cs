namespace Forecasting.Core.Backtesting;

/// <summary>Accuracy of one model (or of the served forecast) over scored folds. RelativeMae is MAE over seasonal naive's MAE on the same points.</summary>
public sealed record ModelScore(string Model, double Mae, double Smape, double Mase, double RelativeMae, double Coverage, int Points)
{
    /// <summary>What the served forecast's score (the one production would have served) names as its model.</summary>
    public const string Served = "served";

    /// <summary>
    /// Interval coverage at the predicted peaks: per series and origin, the hours whose forecast p50 is in the
    /// top <see cref="Metrics.ForecastMetrics.PeakShare"/> (known when the forecast is made), pooled.
    /// </summary>
    public double PeakCoverage { get; init; } = double.NaN;

    /// <summary>Share of the predicted peak hours whose actual is above p90.</summary>
    public double PeakAboveP90 { get; init; } = double.NaN;

    /// <summary>Mean pinball loss of p10 (τ = 0.1), in the target's unit per hour.</summary>
    public double PinballP10 { get; init; } = double.NaN;

    /// <summary>Mean pinball loss of p90 (τ = 0.9), in the target's unit per hour.</summary>
    public double PinballP90 { get; init; } = double.NaN;

    /// <summary>
    /// Share of the observed hours whose p90 is above <see cref="RunawayMultiple"/> times the largest hour the series had
    /// observed up to the origin: a p90 a scaler would provision the maximum on.
    /// </summary>
    public double P90AboveHistoryMax { get; init; } = double.NaN;

    /// <summary>The multiple of a series' largest hour before the origin above which <see cref="P90AboveHistoryMax"/> counts a p90.</summary>
    public const double RunawayMultiple = 3;
}
