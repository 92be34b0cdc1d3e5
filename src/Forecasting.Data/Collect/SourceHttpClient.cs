using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Forecasting.Data.Collect;

/// <summary>
/// Sends requests to a usage source with a bearer key, retrying transient failures with exponential
/// backoff and jitter (honouring Retry-After). Reading and parsing the body is inside the retried
/// attempt, so a truncated page is fetched again. The key is only ever placed in the header.
/// </summary>
public sealed class SourceHttpClient
{
    private readonly HttpClient _http;
    private readonly string _apiKey;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    public SourceHttpClient(HttpClient http, string apiKey, CollectorOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _apiKey = apiKey;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<TransientSourceException>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = Math.Max(0, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    args.Outcome.Exception is TransientSourceException { RetryAfter: { } after } ? Min(after, options.MaxDelay) : null),
                OnRetry = args =>
                {
                    SourceLog.Retrying(_logger, args.AttemptNumber + 1, args.RetryDelay.TotalSeconds, args.Outcome.Exception?.Message ?? "unknown");
                    return default;
                },
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>Total attempts made, retries included; lets tests and progress output see the retries.</summary>
    public int Attempts { get; private set; }

    public async Task<T> SendAsync<T>(Func<HttpRequestMessage> createRequest, Func<JsonElement, T> parse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(createRequest);
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            return await _pipeline.ExecuteAsync(async ct =>
            {
                Attempts++;
                using var request = createRequest();
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                var where = $"{request.Method} {Describe(request.RequestUri)}";
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    throw new SourceAuthenticationException($"{where} answered {(int)response.StatusCode} {response.ReasonPhrase}: the API key was refused; check the key in the environment variable");
                }

                if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500)
                {
                    throw new TransientSourceException($"{where} answered {(int)response.StatusCode} {response.ReasonPhrase}", RetryAfter(response));
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new SourceException($"{where} answered {(int)response.StatusCode} {response.ReasonPhrase}");
                }

                JsonDocument document;
                try
                {
                    await using var body = await response.Content.ReadAsStreamAsync(ct);
                    document = await JsonDocument.ParseAsync(body, cancellationToken: ct);
                }
                catch (JsonException e)
                {
                    throw new TransientSourceException($"{where} answered a body that is not valid JSON ({e.Message})", null, e);
                }

                using (document)
                {
                    try
                    {
                        return parse(document.RootElement);
                    }
                    catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException or JsonException)
                    {
                        throw new SourceException($"{where} answered JSON that does not follow the documented usage format: {e.Message}", e);
                    }
                }
            }, cancellationToken);
        }
        catch (TimeoutRejectedException e)
        {
            throw new SourceException($"the source did not answer within the attempt timeout after {Attempts} attempts", e);
        }
        catch (TransientSourceException e)
        {
            throw new SourceException($"gave up after {Attempts} attempts: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new SourceException($"gave up after {Attempts} attempts: {e.Message}", e);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    // Query strings may carry cursors; the path is enough to say where a failure happened.
    private static string Describe(Uri? uri) => uri is null ? "(no address)" : uri.GetLeftPart(UriPartial.Path);
}
