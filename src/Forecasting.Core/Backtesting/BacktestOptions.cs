using Forecasting.Core.Forecasting;

namespace Forecasting.Core.Backtesting;

/// <summary>
/// Rolling-origin backtest settings. The last <see cref="Folds"/> origins are scored; the
/// <see cref="WarmupFolds"/> before them only feed model selection and interval calibration, so
/// the served forecast at a scored origin is chosen and calibrated on earlier origins alone.
/// </summary>
public sealed record BacktestOptions
{
    public int Horizon { get; init; } = Forecasting.Horizon.Default;

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

    /// <summary>
    /// Hours of origins one estimation serves: at an origin less than this after the last refit, models whose fits are
    /// <see cref="Forecasting.IRefreshable"/> (the global FastTree, SSA's eigenvectors) forecast from the newer history
    /// with the earlier estimates, as production serves the weekly retrained model between retrains; the cheap models are
    /// fitted at every origin. Estimation is most of a large backtest's cost. 0 refits every model at every origin.
    /// Null (the default): <see cref="RefitDefaultHours"/> from <see cref="RefitFromSeries"/> series on, below that 0
    /// (a small backtest estimates at every origin: it is cheap, and a young relay's models improve origin by origin).
    /// </summary>
    public int? RefitHours { get; init; }

    /// <summary>The refit cadence of a large backtest: weekly, as the retrain job.</summary>
    public const int RefitDefaultHours = Forecasting.Horizon.HoursPerWeek;

    /// <summary>From this many series on, the default refit cadence applies.</summary>
    public const int RefitFromSeries = 100;

    /// <summary>The refit cadence of a backtest of <paramref name="seriesCount"/> series (<see cref="RefitHours"/>).</summary>
    public int RefitHoursFor(int seriesCount) => RefitHours ?? (seriesCount >= RefitFromSeries ? RefitDefaultHours : 0);

    /// <summary>Seasonal period of the MASE scale.</summary>
    public int Period { get; init; } = Forecasting.Horizon.HoursPerWeek;

    /// <summary>Nominal coverage of the interval: <see cref="ForecastPoint.IntervalLevel"/> (0.8) gives p10 and p90.</summary>
    public double IntervalLevel { get; init; } = ForecastPoint.IntervalLevel;

    /// <summary>How the conformal residuals are made comparable: relative to each hour's forecast by default.</summary>
    public IntervalMethod IntervalMethod { get; init; } = IntervalMethod.LogRatio;

    /// <summary>Below this much history (3 weeks) the weekly cycle cannot be learned: the backtest and the models go daily.</summary>
    public const int WeeklyHistory = 504;

    /// <summary>Hours of history a series needs before an origin to be backtested from it: two periods, at least two days.</summary>
    public int MinimumHistory => Math.Max(2 * Period, 48);

    /// <summary>Hours of history the longest series needs for every origin: the minimum history, the horizon, and the folds' steps.</summary>
    public int NeededHistory => MinimumHistory + Horizon + ((Folds + WarmupFolds - 1) * Step);

    /// <summary>
    /// These options adapted to the history there is, so a young deployment still trains: under
    /// <see cref="WeeklyHistory"/> hours the period is daily (a shorter minimum history), then warm-up origins
    /// and finally scored origins are dropped, down to one each, until the longest series has room for all of them.
    /// </summary>
    public BacktestOptions ForHistory(int longestHistory)
    {
        var adapted = this;
        if (longestHistory < WeeklyHistory && Period > 24)
        {
            adapted = adapted with { Period = 24 };
        }

        while (adapted.NeededHistory > longestHistory && adapted.WarmupFolds > 1)
        {
            adapted = adapted with { WarmupFolds = adapted.WarmupFolds - 1 };
        }

        while (adapted.NeededHistory > longestHistory && adapted.Folds > 1)
        {
            adapted = adapted with { Folds = adapted.Folds - 1 };
        }

        return adapted;
    }
}
