using Forecasting.Api.Services;
using Forecasting.Application;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Forecasting.ML.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Forecasting.Api.Monitoring;

/// <summary>
/// The process's Prometheus registry (its own, not the static default, so several hosts in one process
/// keep separate numbers) with the forecast gauges, refreshed from the store on every scrape.
/// </summary>
internal sealed class ForecastGauges : IDisposable
{
    private readonly ForecastReader _forecasts;
    private readonly IOptions<ApiOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ForecastGauges> _logger;
    private readonly DataFreshness _freshness;
    private readonly Gauge _dataLastHour;
    private readonly Gauge _age;
    private readonly Gauge _generated;
    private readonly Gauge _end;
    private readonly Gauge _stale;
    private readonly Gauge _staleReason;
    private readonly Dictionary<ForecastTarget, Gauge> _nextHour = [];
    private readonly Dictionary<ForecastTarget, Gauge> _usageLastHour = [];
    private readonly Dictionary<ForecastTarget, Gauge> _usageLastHourForecast = [];
    private readonly PriceTable _prices;
    private readonly Dictionary<(string Series, DateTimeOffset Hour), ForecastPoint> _p90s = [];
    private DateTimeOffset? _runSeen;
    private HashSet<SeriesKey> _actualSeries = [];
    private readonly Gauge _jobLastRun;
    private readonly Gauge _jobLastSucceeded;
    private readonly Scheduling.JobHistory? _jobs;
    private HashSet<SeriesKey> _series = [];
    private readonly Gauge _buildInfo;
    private readonly ModelRegistry? _registry;
    private string? _buildModelVersion;

    public ForecastGauges(ForecastReader forecasts, DataFreshness freshness, StoreConnection stores, PlanningSettings settings, IOptions<ApiOptions> options, TimeProvider time, ILogger<ForecastGauges> logger, IServiceProvider services)
    {
        _prices = settings.PriceTable;
        // Absent when the scheduler is disabled.
        _jobs = (Scheduling.JobHistory?)services.GetService(typeof(Scheduling.JobHistory));
        _forecasts = forecasts;
        _freshness = freshness;
        _options = options;
        _time = time;
        _logger = logger;
        _registry = (ModelRegistry?)services.GetService(typeof(ModelRegistry));
        Registry = Metrics.NewCustomRegistry();
        // A custom registry starts empty: the process and .NET runtime collectors (process_cpu_seconds_total,
        // process_resident_memory_bytes, dotnet_collection_count_total, ...) that the default registry has are added here.
        DotNetStats.Register(Registry);
        Factory = Metrics.WithCustomRegistry(Registry);
        _buildInfo = Factory.CreateGauge("forecasting_build_info", "Always 1: the service's version and the champion model version it serves (none before the first promotion).", ["version", "model_version"]);
        _dataLastHour = Factory.CreateGauge("forecasting_data_last_hour_timestamp_seconds", "Start of the newest usage hour in the store (Unix seconds).");
        _age = Factory.CreateGauge("forecasting_forecast_age_seconds", "Seconds since the latest stored forecast was generated.", ["target"]);
        _generated = Factory.CreateGauge("forecasting_forecast_generated_timestamp_seconds", "When the latest stored forecast was generated (Unix seconds).", ["target"]);
        _end = Factory.CreateGauge("forecasting_forecast_end_timestamp_seconds", "End of the latest forecast's last hour (Unix seconds).", ["target"]);
        _stale = Factory.CreateGauge("forecasting_forecast_stale", "1 when the latest forecast is stale now (old data, old forecast or past its horizon), as autoscale answers say.", ["target"]);
        _staleReason = Factory.CreateGauge("forecasting_forecast_stale_reason", "1 for the reason the latest forecast is stale now (data_old, forecast_old, beyond_horizon), 0 for the others.", ["target", "reason"]);
        // One metric per unit (tokens, requests, USD), named with it; the service forecasts one target, so only its
        // metrics have series. project, model and level are separate labels so that sum(...{level="leaf"}) adds up to
        // the total and roll-ups are not counted twice.
        foreach (var t in ForecastTargets.All)
        {
            var unit = MetricUnit(t);
            _nextHour[t] = Factory.CreateGauge($"forecasting_forecast_next_hour_{unit}", $"Forecast {t.Unit()} in the next clock hour, per series, at quantile 0.1, 0.5 or 0.9 (p10, p50, p90). level is leaf (one project x model) or rollup (* in project or model).", ["project", "model", "level", "quantile"]);
            _usageLastHour[t] = Factory.CreateGauge($"forecasting_usage_last_hour_{unit}", $"Actual {t.Unit()} in the newest stored hour, per series of the forecast.", ["project", "model", "level"]);
            _usageLastHourForecast[t] = Factory.CreateGauge($"forecasting_usage_last_hour_forecast_{unit}", $"The forecast {t.Unit()} (quantile 0.1, 0.5, 0.9) that the last forecast made before the newest stored hour gave it (as seen by this instance since it started).", ["project", "model", "level", "quantile"]);
        }

        _jobLastRun = Factory.CreateGauge("forecasting_job_last_run_timestamp_seconds", "When this instance last finished the job (Unix seconds).", ["job"]);
        _jobLastSucceeded = Factory.CreateGauge("forecasting_job_last_run_succeeded", "1 when this instance's last run of the job succeeded, 0 when it failed.", ["job"]);
        Usage = new UsageGauges(Factory, stores, _prices, time);
        Registry.AddBeforeCollectCallback(RefreshAsync);
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }

    /// <summary>The last complete hour's usage, per project × model.</summary>
    public UsageGauges Usage { get; }

    public void Dispose() => Usage.Dispose();

    /// <summary>The unit a target's metrics are named with: <c>tokens</c>, <c>requests</c>, <c>cost_usd</c>.</summary>
    internal static string MetricUnit(ForecastTarget target) => target == ForecastTarget.Cost ? "cost_usd" : target.Name();

    private static readonly (string Quantile, Func<ForecastPoint, double> Value)[] Quantiles = [("0.1", p => p.P10), ("0.5", p => p.P50), ("0.9", p => p.P90)];

    private static void SetQuantiles(Gauge gauge, string[] labels, ForecastPoint point)
    {
        foreach (var (quantile, value) in Quantiles)
        {
            gauge.WithLabels([.. labels, quantile]).Set(value(point));
        }
    }

    private static void RemoveQuantiles(Gauge gauge, string[] labels)
    {
        foreach (var (quantile, _) in Quantiles)
        {
            gauge.RemoveLabelled([.. labels, quantile]);
        }
    }

    /// <summary>
    /// Remembers the p90 each run gave to hours still in the future (a newer run overwrites them, so what stays is the
    /// forecast made just before the hour's data arrived), and sets the newest stored hour's actuals beside it.
    /// </summary>
    private void RefreshActuals(ForecastRun run, DateTimeOffset now)
    {
        if (_runSeen != run.GeneratedAt)
        {
            _runSeen = run.GeneratedAt;
            foreach (var series in run.Series)
            {
                foreach (var point in series.Points)
                {
                    _p90s[(series.Series, point.Hour)] = point;
                }
            }

            foreach (var old in _p90s.Keys.Where(k => k.Hour < now.AddDays(-2)).ToList())
            {
                _p90s.Remove(old);
            }
        }

        var rows = _freshness.NewestRows;
        var parsedTarget = _options.Value.ParsedTarget;
        var actualGauge = _usageLastHour[parsedTarget];
        var forecastGauge = _usageLastHourForecast[parsedTarget];
        var current = new HashSet<SeriesKey>();
        if (rows.Count > 0)
        {
            var hour = rows[0].Hour;
            foreach (var series in run.Series)
            {
                var key = series.Key;
                var labels = Labels(key);
                var actual = rows.Where(r => key.Contains(new SeriesKey(r.Project, r.Model))).Sum(r => parsedTarget.ValueOf(r, _prices));
                actualGauge.WithLabels(labels).Set(actual);
                if (_p90s.TryGetValue((series.Series, hour), out var forecast))
                {
                    SetQuantiles(forecastGauge, labels, forecast);
                }
                else
                {
                    RemoveQuantiles(forecastGauge, labels);
                }

                current.Add(key);
            }
        }

        foreach (var gone in _actualSeries.Where(s => !current.Contains(s)))
        {
            actualGauge.RemoveLabelled(Labels(gone));
            RemoveQuantiles(forecastGauge, Labels(gone));
        }

        _actualSeries = current;
    }

    /// <summary>project, model, level (leaf or rollup) of a series key.</summary>
    internal static string[] Labels(SeriesKey key) => [key.Project, key.Model, key.IsLeaf ? "leaf" : "rollup"];

    private void RefreshBuildInfo()
    {
        var champion = _registry?.Champion(ModelRegistry.NameOf(_options.Value.ParsedTarget))?.Version ?? "none";
        lock (_buildInfo)
        {
            if (_buildModelVersion is { } previous && previous != champion)
            {
                _buildInfo.RemoveLabelled(ForecastingVersion.Current, previous);
            }

            _buildInfo.WithLabels(ForecastingVersion.Current, champion).Set(1);
            _buildModelVersion = champion;
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        foreach (var last in (_jobs?.Runs ?? []).Where(r => r.FinishedAt is not null).GroupBy(r => r.Job).Select(g => g.MaxBy(r => r.FinishedAt)!))
        {
            _jobLastRun.WithLabels(last.Job).Set(last.FinishedAt!.Value.ToUnixTimeSeconds());
            _jobLastSucceeded.WithLabels(last.Job).Set(last.Outcome == Scheduling.JobStates.Failed ? 0 : 1);
        }

        try
        {
            await Usage.RefreshAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ApiLog.GaugesNotRefreshed(_logger, e);
        }

        try
        {
            RefreshBuildInfo();
            var dataLastHour = await _freshness.LastHourAsync(cancellationToken);
            if (dataLastHour is { } last)
            {
                _dataLastHour.Set(last.ToUnixTimeSeconds());
            }

            var run = await _forecasts.LatestAsync(cancellationToken);
            var target = _forecasts.Target.Name();
            if (run is null || run.Series.All(s => s.Points.Count == 0))
            {
                return;
            }

            var now = _time.GetUtcNow();
            var end = run.End;
            var staleness = Staleness.Evaluate(_options.Value, run.GeneratedAt, dataLastHour, end, now, now);
            _age.WithLabels(target).Set((now - run.GeneratedAt).TotalSeconds);
            _generated.WithLabels(target).Set(run.GeneratedAt.ToUnixTimeSeconds());
            _end.WithLabels(target).Set(end.ToUnixTimeSeconds());
            _stale.WithLabels(target).Set(staleness.Stale ? 1 : 0);
            foreach (var reason in Staleness.Reasons)
            {
                _staleReason.WithLabels(target, reason).Set(staleness.Reason == reason ? 1 : 0);
            }

            var current = new HashSet<SeriesKey>();
            var nextHour = _nextHour[_options.Value.ParsedTarget];
            foreach (var series in run.Series)
            {
                if (ForecastLookup.NextHour(series.Points, now) is { } next)
                {
                    SetQuantiles(nextHour, Labels(series.Key), next);
                    current.Add(series.Key);
                }
            }

            // A series that left the forecast must not keep reporting its last value.
            foreach (var gone in _series.Where(s => !current.Contains(s)))
            {
                RemoveQuantiles(nextHour, Labels(gone));
            }

            _series = current;
            // Scrapes may overlap; the remembered p90s are one dictionary.
            lock (_p90s)
            {
                RefreshActuals(run, now);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A scrape still answers (HTTP metrics, last known gauges); /health says what is wrong.
            ApiLog.GaugesNotRefreshed(_logger, e);
        }
    }
}
