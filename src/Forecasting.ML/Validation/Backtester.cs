using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;

namespace Forecasting.ML.Validation;

/// <summary>
/// Rolling-origin backtest of several models over many series: the folds (<see cref="RollingOrigins"/>), what
/// production would have served at each scored origin (<see cref="ServedOrigins"/>: per series the model best on the
/// earlier origins, its interval calibrated on their residuals, roll-ups bottom-up), and the scores (<see cref="Scoring"/>).
/// </summary>
public static class Backtester
{
    public static BacktestResult Run(
        IReadOnlyList<NamedSeries> series,
        IReadOnlyList<IForecasterFactory> models,
        BacktestOptions options,
        IProgress<string>? progress,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? rollups = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        options = options.ForHistory(series.Select(s => s.Values.Length).DefaultIfEmpty(0).Max());
        var (points, skipped) = RollingOrigins.Forecast(series, models, options, progress, cancellationToken);
        progress?.Report("serving the scored origins");
        var served = ServedOrigins.Serve(points, options, rollups ?? new Dictionary<string, IReadOnlyList<string>>());
        progress?.Report("scoring");
        var (scores, bySeries) = Scoring.Score(points, served, [.. models.Select(m => m.Name)], options, cancellationToken);
        return new BacktestResult(options, points, served, scores, bySeries)
        {
            Skipped = skipped,
        };
    }

    /// <summary>Level of a history: mean of its last week's observed values (never zero for a live series).</summary>
    public static double Scale(ReadOnlySpan<double> history)
    {
        double sum = 0;
        var n = 0;
        for (var i = Math.Max(0, history.Length - Horizon.HoursPerWeek); i < history.Length; i++)
        {
            if (!double.IsNaN(history[i]))
            {
                sum += Math.Abs(history[i]);
                n++;
            }
        }

        return n == 0 || sum == 0 ? 1 : sum / n;
    }
}
