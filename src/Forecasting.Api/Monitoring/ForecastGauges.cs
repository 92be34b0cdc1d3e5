using Forecasting.Api.Services;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Forecasting.Api.Monitoring;

/// <summary>
/// The process's Prometheus registry (its own, not the static default, so several hosts in one process
/// keep separate numbers) with the forecast gauges, refreshed from the store on every scrape.
/// </summary>
internal sealed class ForecastGauges
{
    private readonly ForecastReader _forecasts;
    private readonly IOptions<ApiOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ForecastGauges> _logger;
    private readonly Gauge _age;
    private readonly Gauge _stale;
    private readonly Gauge _nextHourP50;
    private readonly Gauge _nextHourP90;
    private readonly Gauge _jobLastRun;
    private readonly Gauge _jobLastSucceeded;
    private readonly Scheduling.JobHistory? _jobs;
    private HashSet<string> _series = [];

    public ForecastGauges(ForecastReader forecasts, IOptions<ApiOptions> options, TimeProvider time, ILogger<ForecastGauges> logger, IServiceProvider services)
    {
        // Absent when the scheduler is disabled.
        _jobs = (Scheduling.JobHistory?)services.GetService(typeof(Scheduling.JobHistory));
        _forecasts = forecasts;
        _options = options;
        _time = time;
        _logger = logger;
        Registry = Metrics.NewCustomRegistry();
        Factory = Metrics.WithCustomRegistry(Registry);
        _age = Factory.CreateGauge("forecasting_forecast_age_seconds", "Seconds since the latest stored forecast was generated.", ["target"]);
        _stale = Factory.CreateGauge("forecasting_forecast_stale", "1 when the latest forecast is older than the stale threshold.", ["target"]);
        _nextHourP50 = Factory.CreateGauge("forecasting_forecast_next_hour_p50", "Forecast p50 of the next hour, per series, in target units per hour.", ["target", "series"]);
        _nextHourP90 = Factory.CreateGauge("forecasting_forecast_next_hour_p90", "Forecast p90 of the next hour, per series, in target units per hour.", ["target", "series"]);
        _jobLastRun = Factory.CreateGauge("forecasting_job_last_run_timestamp_seconds", "When this instance last finished the job (Unix seconds).", ["job"]);
        _jobLastSucceeded = Factory.CreateGauge("forecasting_job_last_run_succeeded", "1 when this instance's last run of the job succeeded, 0 when it failed.", ["job"]);
        Registry.AddBeforeCollectCallback(RefreshAsync);
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        foreach (var last in (_jobs?.Runs ?? []).Where(r => r.FinishedAt is not null).GroupBy(r => r.Job).Select(g => g.MaxBy(r => r.FinishedAt)!))
        {
            _jobLastRun.WithLabels(last.Job).Set(last.FinishedAt!.Value.ToUnixTimeSeconds());
            _jobLastSucceeded.WithLabels(last.Job).Set(last.Outcome == "succeeded" ? 1 : 0);
        }

        try
        {
            var run = await _forecasts.LatestAsync(cancellationToken);
            var target = _forecasts.Target;
            if (run is null)
            {
                return;
            }

            var now = _time.GetUtcNow();
            _age.WithLabels(target).Set((now - run.GeneratedAt).TotalSeconds);
            _stale.WithLabels(target).Set(_options.Value.IsStale(run.GeneratedAt, now) ? 1 : 0);
            var current = new HashSet<string>(StringComparer.Ordinal);
            foreach (var series in run.Series)
            {
                if (ForecastLookup.NextHour(series.Points, now) is { } next)
                {
                    _nextHourP50.WithLabels(target, series.Series).Set(next.P50);
                    _nextHourP90.WithLabels(target, series.Series).Set(next.P90);
                    current.Add(series.Series);
                }
            }

            // A series that left the forecast must not keep reporting its last value.
            foreach (var gone in _series.Where(s => !current.Contains(s)))
            {
                _nextHourP50.RemoveLabelled(target, gone);
                _nextHourP90.RemoveLabelled(target, gone);
            }

            _series = current;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A scrape still answers (HTTP metrics, last known gauges); /health says what is wrong.
            ApiLog.GaugesNotRefreshed(_logger, e);
        }
    }
}
