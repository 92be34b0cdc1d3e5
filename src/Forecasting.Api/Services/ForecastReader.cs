using Forecasting.Application;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.Data.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Services;

/// <summary>
/// Reads the latest stored forecast of the served target; the API never trains or forecasts. The run is kept
/// and checked against the store every <see cref="CacheFor"/>: autoscalers poll the same forecast many times a
/// minute, and a new run (hourly) is served at most that much (plus one check) later. The check reads the latest
/// run's stamp (one row) in the background while requests keep being answered from the kept run; only a new
/// stamp reads the run's points. Each instance keeps its own; the store stays the truth.
/// </summary>
internal sealed class ForecastReader(LatestForecastQuery latestForecast, IOptions<ApiOptions> options, ILogger<ForecastReader> logger)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private Kept? _cached;
    private Task<ForecastRun?>? _loading;
    private int _generation;

    public ForecastTarget Target => options.Value.ParsedTarget;

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

    public Task<ForecastRun?> LatestAsync(CancellationToken cancellationToken)
    {
        // A monotonic clock, not the injected TimeProvider: cache age is about this process, not about forecast time.
        var now = Environment.TickCount64;
        if (Volatile.Read(ref _cached) is { } cached)
        {
            if (now - cached.At >= CacheFor.TotalMilliseconds)
            {
                // Answered from the kept run while one check runs: a request never waits for the store here. A check that
                // fails with nothing kept (a Forget came between) is observed here; the next request reads again.
                _ = Load(now).ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            return cached.Answer;
        }

        // Nothing kept (first request, or after Forget): this request waits for the read, with any others.
        return Load(now).WaitAsync(cancellationToken);
    }

    /// <summary>The read under way, or a new one: one read of the store at a time.</summary>
    private Task<ForecastRun?> Load(long now)
    {
        lock (_lock)
        {
            if (_loading is null || _loading.IsCompleted)
            {
                _loading = LoadAsync(now, _generation, Volatile.Read(ref _cached));
            }

            return _loading;
        }
    }

    private async Task<ForecastRun?> LoadAsync(long now, int generation, Kept? kept)
    {
        await Task.Yield();
        ForecastRunStamp? stamp;
        ForecastRun? run;
        try
        {
            // Not cancelled by the request that happened to start it: others wait for it too.
            stamp = await latestForecast.StampAsync(options.Value.ParsedTarget, CancellationToken.None);
            // A null stamp is no run stored (or, kept, "check again"): never the same run as the kept one.
            if (kept is not null && stamp is not null && stamp == kept.Stamp)
            {
                // The same run: keep the object, so what was made ready for it (autoscale answers) stays.
                run = kept.Run;
            }
            else
            {
                run = stamp is null ? null : await latestForecast.RunAsync(options.Value.ParsedTarget, CancellationToken.None);
                if (run is not null && !stamp!.Describes(run))
                {
                    // A newer run was stored between the two reads: serve it, and read it again on the next check.
                    stamp = null;
                }
            }
        }
        catch (Exception e) when (kept is not null && e is not OutOfMemoryException)
        {
            // The kept run goes on being served (its age shows on /health and in stale answers); the next check tries again.
            ApiLog.ForecastNotRefreshed(logger, e);
            Keep(generation, new Kept(kept.Run, kept.Stamp, now));
            return kept.Run;
        }

        Keep(generation, new Kept(run, stamp, now));
        return run;
    }

    /// <summary>Keeps what a read found, unless a <see cref="Forget"/> came since it started.</summary>
    private void Keep(int generation, Kept kept)
    {
        lock (_lock)
        {
            if (generation == _generation)
            {
                Volatile.Write(ref _cached, kept);
            }
        }
    }

    /// <summary>The kept run (null: none stored), its stamp (null: check again) and when it was read; one reference, so it is read whole.</summary>
    private sealed class Kept(ForecastRun? run, ForecastRunStamp? stamp, long at)
    {
        public ForecastRun? Run => run;

        public ForecastRunStamp? Stamp => stamp;

        public long At => at;

        /// <summary>The run as a finished task, made once: a request that finds it kept allocates nothing to get it.</summary>
        public Task<ForecastRun?> Answer { get; } = Task.FromResult(run);
    }
}
