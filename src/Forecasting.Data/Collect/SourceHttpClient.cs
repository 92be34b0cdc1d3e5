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
/// Every request says who sends it (User-Agent). A redirect to another host (scheme, host or port)
/// is refused, and no address in a message carries the credentials of a <c>user:password@</c> URL.
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
        var pipeline = new ResiliencePipelineBuilder();
        if (options.MaxRetries > 0)
        {
            // Polly refuses a retry strategy of no retries: with --retries 0 there is none.
            pipeline.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<TransientSourceException>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = options.MaxRetries,
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
            });
        }

        _pipeline = pipeline.AddTimeout(options.AttemptTimeout).Build();
    }

    /// <summary>The User-Agent of every request.</summary>
    public static string UserAgent { get; } = "Forecasting/" + (typeof(SourceHttpClient).Assembly.GetName().Version?.ToString(3) ?? "1.0.0");

    /// <summary>An HttpClient for usage sources: redirects are not followed (a 3xx is an error naming where it pointed).</summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary><paramref name="uri"/> without its <c>user:password@</c> part: sources authenticate with the bearer key only.</summary>
    public static Uri WithoutCredentials(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || uri.UserInfo.Length == 0)
        {
            return uri;
        }

        return new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
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
                request.Headers.UserAgent.ParseAdd(UserAgent);
                // Captured before sending: a redirect followed by the handler rewrites the request's address.
                var asked = request.RequestUri;
                var where = $"{request.Method} {Describe(asked)}";
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                var answered = response.RequestMessage?.RequestUri;
                if (asked is not null && answered is not null && !SameOrigin(asked, answered))
                {
                    throw new SourceException($"{where} was redirected to another host ({Origin(answered)}); usage is only read from the source's own host");
                }

                if ((int)response.StatusCode is >= 300 and < 400)
                {
                    var location = response.Headers.Location is { } l ? " to " + (l.IsAbsoluteUri ? Origin(l) : "a path on the same host") : "";
                    throw new SourceException($"{where} answered {(int)response.StatusCode} (a redirect{location}); redirects are not followed: give the final address as the base URL");
                }

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

    // Query strings may carry cursors; the path is enough to say where a failure happened. Never the user info.
    private static string Describe(Uri? uri) => uri is null ? "(no address)" : WithoutCredentials(uri).GetLeftPart(UriPartial.Path);

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    private static string Origin(Uri uri) => uri.IsAbsoluteUri ? $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}" : "(relative)";
}
