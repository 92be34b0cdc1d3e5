using Forecasting.Core.Forecasting;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Services;

/// <summary>
/// Reads the latest stored forecast of the served target; the API never trains or forecasts. The run
/// is kept for <see cref="CacheFor"/>: autoscalers poll the same forecast many times a minute, and a new
/// run (hourly) is served at most that much later. Each instance caches on its own; the store stays the truth.
/// </summary>
internal sealed class ForecastReader(StoreConnection stores, IOptions<ApiOptions> options)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    private (ForecastRun? Run, long At)? _cached;

    public string Target => options.Value.Target.ToLowerInvariant();

    /// <summary>Drops the kept run: this instance's jobs just stored a new one, which is served from the next request on.</summary>
    public void Forget() => _cached = null;

    public async Task<ForecastRun?> LatestAsync(CancellationToken cancellationToken)
    {
        // A monotonic clock, not the injected TimeProvider: cache age is about this process, not about forecast time.
        var now = Environment.TickCount64;
        if (_cached is { } cached && now - cached.At < CacheFor.TotalMilliseconds)
        {
            return cached.Run;
        }

        var store = await stores.GetAsync(cancellationToken);
        var run = await store.LatestForecastAsync(Target, cancellationToken);
        _cached = (run, now);
        return run;
    }
}
