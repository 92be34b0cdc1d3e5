namespace Forecasting.Core.Backtesting;

/// <summary>
/// Rolling-origin backtest settings. The last <see cref="Folds"/> origins are scored; the
/// <see cref="WarmupFolds"/> before them only feed model selection and interval calibration, so
/// the served forecast at a scored origin is chosen and calibrated on earlier origins alone.
/// </summary>
public sealed record BacktestOptions
{
    public int Horizon { get; init; } = 168;

    public int Folds { get; init; } = 4;

    /// <summary>Hours between origins.</summary>
    public int Step { get; init; } = 24;

    /// <summary>
    /// Earlier origins for selection and calibration only. By default enough for the first scored origin
    /// to have seen every horizon step resolved at least twice: horizon / step + 2.
    /// </summary>
    public int WarmupFolds
    {
        get => _warmupFolds ?? ((Horizon + Step - 1) / Math.Max(1, Step)) + 2;
        init => _warmupFolds = value;
    }

    private readonly int? _warmupFolds;

    /// <summary>Seasonal period of the MASE scale.</summary>
    public int Period { get; init; } = 168;

    /// <summary>Nominal coverage of the interval: 0.8 gives p10 and p90.</summary>
    public double IntervalLevel { get; init; } = 0.8;

    /// <summary>How the conformal residuals are made comparable: relative to each hour's forecast by default.</summary>
    public IntervalMethod IntervalMethod { get; init; } = IntervalMethod.LogRatio;
}
