using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Api.Monitoring;
using Forecasting.Api.Scheduling;
using Forecasting.Api.Services;
using Forecasting.Application;
using Forecasting.Core.Series;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Notifications;

/// <summary>
/// Sends one webhook notice per condition (budget crossing, anomaly, stale data, failed job) until it clears,
/// retrying on 5xx, 408, 429, timeouts and connection failures with a doubling delay. Which conditions were
/// notified is kept in memory: after a restart, a condition still present is notified once more. A notice never
/// carries the API key, the relay key or the webhook secret (they are scrubbed even from error messages).
/// </summary>
internal sealed class Notifier(
    IOptions<NotifyOptions> options,
    IOptions<ApiOptions> api,
    IOptions<SchedulingOptions> schedule,
    ConditionsUseCase conditionsUseCase,
    LatestForecastQuery latestForecast,
    DataFreshness freshness,
    TimeProvider time,
    IHttpClientFactory http,
    ILogger<Notifier> logger) : IDisposable
{
    public const string HttpClientName = "notify";

    private static readonly string[] RefreshKinds = ["budget", "anomaly", "stale"];
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly ForecastBands _bands = new();
    private readonly Dictionary<string, Condition> _notified = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.WebhookUrl);

    /// <summary>The conditions notified and not cleared yet.</summary>
    public IReadOnlyCollection<string> Active
    {
        get
        {
            lock (_notified)
            {
                return [.. _notified.Keys];
            }
        }
    }

    /// <summary>After new usage arrived (each refresh): budgets, anomalies and stale data.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        var target = api.Value.ParsedTarget;
        var conditions = (await conditionsUseCase.EvaluateAsync(target, _bands, options.Value.AnomalyHours, cancellationToken)).ToList();
        if (await StaleAsync(cancellationToken) is { } stale)
        {
            conditions.Add(stale);
        }

        await ApplyAsync(conditions, RefreshKinds, cancellationToken);
    }

    public Task JobFailedAsync(string job, string? detail, CancellationToken cancellationToken) => !Enabled
        ? Task.CompletedTask
        : ApplyAsync([new Condition("job_failed", $"job_failed:{job}", "critical", $"job {job} failed", $"the {job} job failed: {detail ?? "no detail"}")], [], cancellationToken);

    /// <summary>A job that succeeds clears its failure: its next failure is notified again.</summary>
    public void JobSucceeded(string job)
    {
        lock (_notified)
        {
            if (_notified.Remove($"job_failed:{job}"))
            {
                NotifyLog.Cleared(logger, $"job_failed:{job}");
            }
        }
    }

    private async Task<Condition?> StaleAsync(CancellationToken cancellationToken)
    {
        var run = await latestForecast.RunAsync(api.Value.ParsedTarget, cancellationToken);
        if (run is null || run.Series.All(s => s.Points.Count == 0))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var last = await freshness.RefreshAsync(cancellationToken);
        var staleness = Staleness.Evaluate(api.Value, run.GeneratedAt, last, run.End, now, now);
        return staleness.Reason is Staleness.DataOld or Staleness.ForecastOld
            ? new Condition("stale", $"stale:{staleness.Reason}", "warning", $"forecast stale ({staleness.Reason})", staleness.Notice(run.GeneratedAt, last))
            : null;
    }

    /// <summary>Sends the new conditions; forgets the notified ones of <paramref name="evaluated"/> kinds that are gone.</summary>
    private async Task ApplyAsync(IReadOnlyList<Condition> conditions, IReadOnlyCollection<string> evaluated, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = conditions.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            lock (_notified)
            {
                foreach (var gone in _notified.Values.Where(c => evaluated.Contains(c.Kind) && !current.Contains(c.Key)).ToList())
                {
                    _notified.Remove(gone.Key);
                    NotifyLog.Cleared(logger, gone.Key);
                }
            }

            foreach (var condition in conditions.DistinctBy(c => c.Key))
            {
                bool known;
                lock (_notified)
                {
                    known = _notified.ContainsKey(condition.Key);
                }

                if (!known && await SendAsync(condition, cancellationToken))
                {
                    lock (_notified)
                    {
                        _notified[condition.Key] = condition;
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> SendAsync(Condition condition, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var body = Scrub(Body(condition, o.Format));
        var delay = o.RetryDelay;
        var client = http.CreateClient(HttpClientName);
        for (var attempt = 1; ; attempt++)
        {
            string reason;
            using var request = new HttpRequestMessage(HttpMethod.Post, o.WebhookUrl) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            if (o.SecretHeaderEnv is { Length: > 0 } env && Environment.GetEnvironmentVariable(env) is { Length: > 0 } secret)
            {
                request.Headers.TryAddWithoutValidation(o.SecretHeaderName, secret);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(o.Timeout);
            try
            {
                using var response = await client.SendAsync(request, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    NotifyLog.Sent(logger, condition.Key, condition.Kind);
                    return true;
                }

                reason = $"HTTP {(int)response.StatusCode}";
                if ((int)response.StatusCode < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
                {
                    NotifyLog.NotDelivered(logger, condition.Key, reason);
                    return false;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                reason = "timeout";
            }
            catch (HttpRequestException e)
            {
                reason = e.HttpRequestError.ToString();
            }

            if (attempt >= o.MaxAttempts)
            {
                NotifyLog.NotDelivered(logger, condition.Key, reason);
                return false;
            }

            NotifyLog.Retrying(logger, condition.Key, attempt, o.MaxAttempts, reason, delay);
            // Wall-clock time: the receiver recovers in real seconds, whatever clock the service plans with.
            await Task.Delay(delay, cancellationToken);
            delay *= 2;
        }
    }

    private static string Body(Condition condition, string format) => string.Equals(format, "slack", StringComparison.OrdinalIgnoreCase)
        ? JsonSerializer.Serialize(new { text = $"*{condition.Title}* ({condition.Severity})\n{condition.Message}" }, Json)
        : JsonSerializer.Serialize(new { source = "forecasting", condition.Kind, condition.Key, condition.Severity, condition.Title, condition.Message }, Json);

    /// <summary>The keys this process knows of are cut out of anything sent, error messages included.</summary>
    private string Scrub(string body)
    {
        foreach (var variable in new[] { ApiOptions.ApiKeyVariable, schedule.Value.CollectApiKeyEnv, "FORECASTING_RELAY_KEY", options.Value.SecretHeaderEnv })
        {
            if (variable is { Length: > 0 } && Environment.GetEnvironmentVariable(variable) is { Length: >= 4 } secret)
            {
                body = body.Replace(secret, "***", StringComparison.Ordinal);
                // As it appears inside a JSON string.
                body = body.Replace(JsonEncodedText.Encode(secret).ToString(), "***", StringComparison.Ordinal);
            }
        }

        return body;
    }

    public void Dispose() => _gate.Dispose();
}
