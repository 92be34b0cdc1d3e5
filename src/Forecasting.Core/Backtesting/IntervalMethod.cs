namespace Forecasting.Core.Backtesting;

/// <summary>
/// How conformal residuals are made comparable across hours and series; stored in a model manifest
/// (the number is the manifest's calibration version), so a saved version is served the way it was calibrated.
/// </summary>
public enum IntervalMethod
{
    /// <summary>(actual − forecast) / series level: one width for every hour of a block (manifests before calibration version 2).</summary>
    LevelScaled = 1,

    /// <summary>
    /// log((actual + c) / (forecast + c)) with c a small share of the series level: the band scales with the
    /// forecast itself, wide at the peak and narrow at night, and p10 stays above zero where the forecast does.
    /// </summary>
    LogRatio = 2,
}
