using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;

namespace Forecasting.ML.Models;

/// <summary>
/// A robust seasonal baseline for bursty traffic: each future hour is the median of the same
/// hour-of-week over the last <c>cycles</c> weeks (or hour-of-day over days), scaled by the ratio
/// of the last day's level to the median cycle's, so a step or trend carries on. One burst moves
/// a median little, where it moves seasonal naive fully.
/// </summary>
public sealed class SeasonalMedian(int period = Horizon.HoursPerWeek, int cycles = 4) : IForecaster
{
    private double[] _profile = [];

    public string Name => NameOf(period);

    /// <summary>"smedian" for the weekly median, "smedian24" for the daily one (young series).</summary>
    public static string NameOf(int period) => ModelId.SeasonalMedian(period).ToString();

    public void Fit(ReadOnlySpan<double> history)
    {
        var y = SeasonalNaive.Prepared(history);
        if (y.Length == 0)
        {
            throw new ArgumentException("history has no observed value", nameof(history));
        }

        var season = SeasonalNaive.Season(period, y.Length);
        var available = Math.Max(1, Math.Min(cycles, y.Length / season));
        _profile = new double[season];
        var window = new double[available];
        for (var s = 0; s < season; s++)
        {
            // Position s of the next season sits 'season' hours after y[^season + s].
            for (var c = 0; c < available; c++)
            {
                window[c] = y[y.Length - season + s - (c * season)];
            }

            _profile[s] = Median(window);
        }

        // Level correction over the last day: a launch or a holiday shows there first.
        var recent = Math.Min(24, season);
        double actual = 0, typical = 0;
        for (var i = 0; i < recent; i++)
        {
            actual += y[y.Length - recent + i];
            typical += _profile[season - recent + i];
        }

        var ratio = typical > 0 ? Math.Clamp(actual / typical, 0.5, 2.0) : 1.0;
        for (var s = 0; s < season; s++)
        {
            _profile[s] *= ratio;
        }
    }

    public double[] Predict(int horizon) => SeasonalNaive.Repeat(_profile, horizon);

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
