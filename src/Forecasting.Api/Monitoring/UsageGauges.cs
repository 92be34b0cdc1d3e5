using Forecasting.Api.Services;
using Forecasting.Core.Pricing;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;
using Prometheus;

namespace Forecasting.Api.Monitoring;

/// <summary>
/// The last complete hour's usage per project × model as gauges: tokens by direction, requests, errors and error
/// rate, latency p50/p95 and cost. Only that hour's rows are read (a window on the store's hour index), at most
/// once per <see cref="RefreshEvery"/> and at once when a new hour completes; scrapes in between are served from memory.
/// </summary>
internal sealed class UsageGauges : IDisposable
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(60);

    private readonly StoreConnection _stores;
    private readonly PriceTable _prices;
    private readonly TimeProvider _time;
    private readonly Gauge _hour;
    private readonly Gauge _tokens;
    private readonly Gauge _requests;
    private readonly Gauge _errors;
    private readonly Gauge _errorRate;
    private readonly Gauge _latency;
    private readonly Gauge _cost;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HashSet<(string Project, string Model)> _keys = [];
    private DateTimeOffset? _readHour;
    private long _readAt;

    public UsageGauges(IMetricFactory factory, StoreConnection stores, PriceTable prices, TimeProvider time)
    {
        _stores = stores;
        _prices = prices;
        _time = time;
        _hour = factory.CreateGauge("forecasting_usage_hour_timestamp_seconds", "Start of the last complete hour that the forecasting_usage_hour_* gauges describe (Unix seconds).");
        _tokens = factory.CreateGauge("forecasting_usage_hour_tokens", "Tokens in the last complete hour, per project, model and direction (input includes cached input).", ["project", "model", "direction"]);
        _requests = factory.CreateGauge("forecasting_usage_hour_requests", "Requests in the last complete hour.", ["project", "model"]);
        _errors = factory.CreateGauge("forecasting_usage_hour_errors", "Failed requests in the last complete hour (absent when the source does not report errors).", ["project", "model"]);
        _errorRate = factory.CreateGauge("forecasting_usage_hour_error_ratio", "Errors over requests in the last complete hour (absent without errors reported or requests).", ["project", "model"]);
        _latency = factory.CreateGauge("forecasting_usage_hour_latency_seconds", "Latency percentiles of the last complete hour in seconds, quantile 0.5 or 0.95 (absent when not reported).", ["project", "model", "quantile"]);
        _cost = factory.CreateGauge("forecasting_usage_hour_cost_usd", "Cost of the last complete hour in USD, as reported or priced with the price table (absent when unpriced: unknown, never zero).", ["project", "model"]);
    }

    /// <summary>The number of times the store was read, for the tests of the cache.</summary>
    public int Reads { get; private set; }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var hour = UtcHour.Truncate(_time.GetUtcNow()).AddHours(-1);
        if (_readHour == hour && Environment.TickCount64 - Volatile.Read(ref _readAt) < RefreshEvery.TotalMilliseconds)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_readHour == hour && Environment.TickCount64 - _readAt < RefreshEvery.TotalMilliseconds)
            {
                return;
            }

            var store = await _stores.GetAsync(cancellationToken);
            var rows = new List<HourlyUsage>();
            await foreach (var row in store.ReadAsync(new UsageQuery(From: hour, To: hour.AddHours(1)), cancellationToken))
            {
                rows.Add(row);
            }

            Reads++;
            Set(hour, rows);
            _readHour = hour;
            Volatile.Write(ref _readAt, Environment.TickCount64);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private void Set(DateTimeOffset hour, List<HourlyUsage> rows)
    {
        _hour.Set(hour.ToUnixTimeSeconds());
        var keys = new HashSet<(string Project, string Model)>();
        foreach (var row in rows)
        {
            string[] labels = [row.Project, row.Model];
            keys.Add((row.Project, row.Model));
            _tokens.WithLabels(row.Project, row.Model, "input").Set(row.InputTokens);
            _tokens.WithLabels(row.Project, row.Model, "output").Set(row.OutputTokens);
            _requests.WithLabels(labels).Set(row.Requests);
            SetOrRemove(_errors, labels, row.Errors);
            SetOrRemove(_errorRate, labels, row.Errors is { } e && row.Requests > 0 ? (double)e / row.Requests : null);
            SetOrRemove(_latency, [row.Project, row.Model, "0.5"], row.LatencyMsP50 / 1000);
            SetOrRemove(_latency, [row.Project, row.Model, "0.95"], row.LatencyMsP95 / 1000);
            SetOrRemove(_cost, labels, row.CostUsd ?? _prices.Cost(row));
        }

        // A project × model without usage in this hour must not keep reporting the previous hour's numbers.
        foreach (var (project, model) in _keys.Where(k => !keys.Contains(k)))
        {
            _tokens.RemoveLabelled(project, model, "input");
            _tokens.RemoveLabelled(project, model, "output");
            foreach (var gauge in new[] { _requests, _errors, _errorRate, _cost })
            {
                gauge.RemoveLabelled(project, model);
            }

            _latency.RemoveLabelled(project, model, "0.5");
            _latency.RemoveLabelled(project, model, "0.95");
        }

        _keys = keys;
    }

    private static void SetOrRemove(Gauge gauge, string[] labels, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            gauge.WithLabels(labels).Set(v);
        }
        else
        {
            gauge.RemoveLabelled(labels);
        }
    }
}
