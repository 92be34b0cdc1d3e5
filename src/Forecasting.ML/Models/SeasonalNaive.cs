using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;

namespace Forecasting.ML.Models;

/// <summary>
/// The baseline every model must beat: each future hour repeats the same hour one season ago
/// (a day or a week). Gaps in the last season are filled first.
/// </summary>
public sealed class SeasonalNaive(int period = Horizon.HoursPerWeek) : IForecaster
{
    private double[] _lastSeason = [];

    public string Name => ModelId.SeasonalNaive(period).ToString();

    public int Period => period;

    public void Fit(ReadOnlySpan<double> history)
    {
        var filled = Prepared(history);
        if (filled.Length == 0)
        {
            throw new ArgumentException("history has no observed value", nameof(history));
        }

        // With less than a season of history, repeat what there is.
        var season = Season(period, filled.Length);
        _lastSeason = filled[^season..];
    }

    public double[] Predict(int horizon)
    {
        return Repeat(_lastSeason, horizon);
    }

    /// <summary>
    /// The season a history of <paramref name="length"/> hours can give: the period, or with less history whole
    /// days of it (a 30-hour history repeats its last 24 hours, so hours of the day stay aligned), or all of it.
    /// </summary>
    internal static int Season(int period, int length) =>
        length >= period ? period
        : period % 24 == 0 && length >= 24 ? length / 24 * 24
        : length;

    /// <summary>The season repeated over the horizon, never negative; shared by the seasonal baselines.</summary>
    internal static double[] Repeat(double[] season, int horizon)
    {
        if (season.Length == 0)
        {
            throw new InvalidOperationException("Fit first");
        }

        var result = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            result[h] = Math.Max(0, season[h % season.Length]);
        }

        return result;
    }

    /// <summary>The history without leading gaps and with inner gaps filled.</summary>
    internal static double[] Prepared(ReadOnlySpan<double> history)
    {
        var first = 0;
        while (first < history.Length && double.IsNaN(history[first]))
        {
            first++;
        }

        var copy = history[first..].ToArray();
        HourlyGapFiller.Fill(copy);
        return copy;
    }
}
