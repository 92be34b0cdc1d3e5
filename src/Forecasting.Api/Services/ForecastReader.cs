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

    private readonly Lock _lock = new();
    private Kept? _cached;
    private Task<ForecastRun?>? _loading;
    private int _generation;

    public string Target => options.Value.Target.ToLowerInvariant();

    /// <summary>Drops the kept run: this instance's jobs just stored a new one, which is served from the next request on.</summary>
    public void Forget()
    {
        lock (_lock)
        {
            // A read already under way may return the older run to its callers, but it is not kept.
            _generation++;
            _cached = null;
            _loading = null;
        }
    }

    public async Task<ForecastRun?> LatestAsync(CancellationToken cancellationToken)
    {
        // A monotonic clock, not the injected TimeProvider: cache age is about this process, not about forecast time.
        var now = Environment.TickCount64;
        if (Volatile.Read(ref _cached) is { } cached && now - cached.At < CacheFor.TotalMilliseconds)
        {
            return cached.Run;
        }

        // One read of the store at a time: the requests that find the kept run expired together wait for the same read.
        Task<ForecastRun?> loading;
        lock (_lock)
        {
            if (_loading is null || _loading.IsCompleted)
            {
                _loading = LoadAsync(now, _generation);
            }

            loading = _loading;
        }

        return await loading.WaitAsync(cancellationToken);
    }

    private async Task<ForecastRun?> LoadAsync(long now, int generation)
    {
        // Not cancelled by the request that happened to start it: others wait for it too.
        var store = await stores.GetAsync(CancellationToken.None);
        var run = await store.LatestForecastAsync(Target, CancellationToken.None);
        lock (_lock)
        {
            if (_cached is { Run: { } kept } && run is not null && Same(kept, run))
            {
                // The same run read again: keep the object, so what was made ready for it (autoscale answers) stays.
                run = kept;
            }

            if (generation == _generation)
            {
                Volatile.Write(ref _cached, new Kept(run, now));
            }
        }

        return run;
    }

    /// <summary>Same run: same version, times and every series' points (a run is never changed once stored, but be sure).</summary>
    private static bool Same(ForecastRun a, ForecastRun b)
    {
        if (a.Target != b.Target || a.ModelVersion != b.ModelVersion || a.GeneratedAt != b.GeneratedAt || a.Origin != b.Origin
            || a.Series.Count != b.Series.Count || a.Skipped.Count != b.Skipped.Count || !a.Skipped.SequenceEqual(b.Skipped))
        {
            return false;
        }

        for (var i = 0; i < a.Series.Count; i++)
        {
            var (x, y) = (a.Series[i], b.Series[i]);
            if (x.Series != y.Series || x.Model != y.Model || !x.Points.SequenceEqual(y.Points))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The kept run (null: none stored) and when it was read; one reference, so it is read whole.</summary>
    private sealed record Kept(ForecastRun? Run, long At);
}
