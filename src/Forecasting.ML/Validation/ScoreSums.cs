using Forecasting.Core.Backtesting;

namespace Forecasting.ML.Validation;

/// <summary>Running sums of the scores' measures: accuracy over hours, and, for the served forecast, its interval.</summary>
internal sealed class ScoreSums
{
    private double _absolute;
    private double _smape;
    private double _own;
    private double _base;
    private double _mase;
    private int _groups;
    private int _intervals;
    private int _inside;
    private double _pinball10;
    private int _p10s;
    private double _pinball90;
    private int _p90s;
    private int _peaks;
    private int _peaksInside;
    private int _peaksAbove;
    private int _runaways;

    public int Count { get; private set; }

    public void Add(double actual, double forecast, double baselineError)
    {
        var error = Math.Abs(actual - forecast);
        _absolute += error;
        var denominator = Math.Abs(actual) + Math.Abs(forecast);
        _smape += denominator == 0 ? 0 : 200 * error / denominator;
        if (!double.IsNaN(baselineError))
        {
            _own += error;
            _base += baselineError;
        }

        Count++;
    }

    /// <summary>An observed hour's interval: coverage (both bounds known) and each bound's pinball loss (as <see cref="ForecastMetrics"/>).</summary>
    public void AddInterval(double actual, double p10, double p90)
    {
        if (!double.IsNaN(p10) && !double.IsNaN(p90))
        {
            _intervals++;
            _inside += actual >= p10 && actual <= p90 ? 1 : 0;
        }

        if (!double.IsNaN(p10))
        {
            _pinball10 += Pinball(actual - p10, 0.1);
            _p10s++;
        }

        if (!double.IsNaN(p90))
        {
            _pinball90 += Pinball(actual - p90, 0.9);
            _p90s++;
        }
    }

    /// <summary>An observed hour's p90 above <see cref="ModelScore.RunawayMultiple"/> times the series' largest hour before the origin.</summary>
    public void AddRunaway() => _runaways++;

    /// <summary>A predicted peak hour's interval.</summary>
    public void AddPeak(double actual, double p10, double p90)
    {
        if (double.IsNaN(p10) || double.IsNaN(p90))
        {
            return;
        }

        _peaks++;
        _peaksInside += actual >= p10 && actual <= p90 ? 1 : 0;
        _peaksAbove += actual > p90 ? 1 : 0;
    }

    public void AddGroup(double mase)
    {
        if (double.IsFinite(mase))
        {
            _mase += mase;
            _groups++;
        }
    }

    public ModelScore Score(string model, bool hasBaseline, bool withInterval = false) =>
        new(model, _absolute / Count, _smape / Count, _groups == 0 ? double.NaN : _mase / _groups, hasBaseline && _base > 0 ? _own / _base : double.NaN, withInterval && _intervals > 0 ? (double)_inside / _intervals : double.NaN, Count)
        {
            PeakCoverage = withInterval && _peaks > 0 ? (double)_peaksInside / _peaks : double.NaN,
            PeakAboveP90 = withInterval && _peaks > 0 ? (double)_peaksAbove / _peaks : double.NaN,
            PinballP10 = withInterval && _p10s > 0 ? _pinball10 / _p10s : double.NaN,
            PinballP90 = withInterval && _p90s > 0 ? _pinball90 / _p90s : double.NaN,
            P90AboveHistoryMax = withInterval && _p90s > 0 ? (double)_runaways / _p90s : double.NaN,
        };

    private static double Pinball(double error, double tau) => error >= 0 ? tau * error : (tau - 1) * error;
}
