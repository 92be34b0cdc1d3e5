using Forecasting.Core.Forecasting;

namespace Forecasting.Application;

/// <summary>
/// The p10..p90 band each stored forecast gave the hours ahead of it, remembered as runs are seen (a newer run
/// overwrites an hour, so what stays is the forecast made just before that hour's usage arrived). Kept in memory
/// by whoever watches the runs: a restart forgets the bands, and anomalies are found again once N new hours
/// have arrived after a forecast.
/// </summary>
public sealed class ForecastBands
{
    private readonly Dictionary<(string Series, DateTimeOffset Hour), (double P10, double P90)> _bands = [];
    private readonly Lock _lock = new();
    private DateTimeOffset? _seen;

    public void Remember(ForecastRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_lock)
        {
            if (_seen == run.GeneratedAt)
            {
                return;
            }

            _seen = run.GeneratedAt;
            foreach (var series in run.Series)
            {
                foreach (var point in series.Points)
                {
                    _bands[(series.Series, point.Hour)] = (point.P10, point.P90);
                }
            }

            foreach (var old in _bands.Keys.Where(k => k.Hour < run.Origin.AddDays(-7)).ToList())
            {
                _bands.Remove(old);
            }
        }
    }

    public bool TryGet(string series, DateTimeOffset hour, out (double P10, double P90) band)
    {
        lock (_lock)
        {
            return _bands.TryGetValue((series, hour), out band);
        }
    }
}
