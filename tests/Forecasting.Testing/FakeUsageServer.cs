using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Forecasting.Core.Usage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Forecasting.Testing;

/// <summary>
/// A local HTTP server (Kestrel on 127.0.0.1) that speaks the relay's <c>POST /usage</c> and the
/// OpenAI organization usage API, serving a fixed set of rows, checking the bearer key, and playing
/// scripted faults (429 with Retry-After, 5xx, slow answers, garbage or truncated JSON) before answering.
/// </summary>
public sealed class FakeUsageServer : IAsyncDisposable
{
    public const string Key = "sk-test-3f9c2a7e-secret";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Fault> _faults = new();
    private int _requests;

    private FakeUsageServer(WebApplication app, IReadOnlyList<HourlyUsage> rows)
    {
        _app = app;
        Rows = rows;
    }

    public enum Fault
    {
        TooManyRequests,
        ServerError,
        Unavailable,
        Slow,
        Garbage,
        Truncated,
    }

    public IReadOnlyList<HourlyUsage> Rows { get; }

    /// <summary>The headers of one request as the server saw them.</summary>
    public sealed record ReceivedRequest(string UserAgent, long? ContentLength, string TransferEncoding, string Authorization);

    public Uri BaseUrl { get; private set; } = null!;

    public int Requests => _requests;

    public ConcurrentBag<string> PageCursors { get; } = [];

    /// <summary>What each request carried that the tests check (sender, body framing).</summary>
    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>
    /// When set, answers every request that passed the key check and the scripted faults, in place of the
    /// fixed rows: lets a test play a hostile source (scripted pages, redirects, conflicting buckets).
    /// </summary>
    public Func<HttpContext, Task>? Answer { get; set; }

    /// <summary>Runs before each request is answered, with the request's number (1-based): lets a test act in the middle of a collection.</summary>
    public Func<int, Task>? BeforeAnswer { get; set; }

    public static async Task<FakeUsageServer> StartAsync(IReadOnlyList<HourlyUsage> rows)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeUsageServer(app, rows);
        app.MapPost("/v1/usage", server.RelayAsync);
        // The relay's other documented shape: GET /usage with the window in the query string (answered through Answer).
        app.MapGet("/v1/usage", server.RelayAsync);
        app.MapGet("/v1/organization/usage/completions", server.OpenAiAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address + "/v1");
        return server;
    }

    public void Enqueue(params Fault[] faults)
    {
        foreach (var fault in faults)
        {
            _faults.Enqueue(fault);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<bool> PlayFaultAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _requests);
        Received.Enqueue(new ReceivedRequest(
            context.Request.Headers.UserAgent.ToString(),
            context.Request.ContentLength,
            context.Request.Headers.TransferEncoding.ToString(),
            context.Request.Headers.Authorization.ToString()));
        if (BeforeAnswer is { } hook)
        {
            await hook(number);
        }

        if (context.Request.Headers.Authorization.ToString() != "Bearer " + Key)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("{\"error\":\"invalid key\"}");
            return true;
        }

        if (!_faults.TryDequeue(out var fault))
        {
            if (Answer is { } answer)
            {
                await answer(context);
                return true;
            }

            return false;
        }

        switch (fault)
        {
            case Fault.TooManyRequests:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                return true;
            case Fault.ServerError:
                context.Response.StatusCode = 500;
                return true;
            case Fault.Unavailable:
                context.Response.StatusCode = 503;
                return true;
            case Fault.Slow:
                await Task.Delay(TimeSpan.FromSeconds(3), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return true;
            case Fault.Garbage:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("<html>502 Bad Gateway</html>");
                return true;
            case Fault.Truncated:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"object\":\"page\",\"data\":[{\"start_time\":17");
                return true;
            default:
                return false;
        }
    }

    private async Task RelayAsync(HttpContext context)
    {
        if (await PlayFaultAsync(context))
        {
            return;
        }

        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        // Dates (YYYY-MM-DD, as documented) are whole UTC days, the end day included; timestamps are [start, end).
        var startText = body.RootElement.GetProperty("start_date").GetString()!;
        var endText = body.RootElement.GetProperty("end_date").GetString()!;
        var start = DateTimeOffset.Parse(startText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var end = DateTimeOffset.Parse(endText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).AddDays(endText.Length == 10 ? 1 : 0);
        var usage = Rows.Where(r => r.Hour >= start && r.Hour < end).SelectMany(r => new[]
        {
            // The relay reports finer entries; the collector must sum them per hour.
            new { timestamp = UtcHour.Format(r.Hour), model = r.Model, project = r.Project, input_tokens = r.InputTokens / 2, output_tokens = r.OutputTokens / 2, total_tokens = (r.InputTokens / 2) + (r.OutputTokens / 2), latency_ms = 800.0, cost_usd = 0.5, requests = r.Requests / 2 },
            new { timestamp = UtcHour.Format(r.Hour.AddMinutes(30)), model = r.Model, project = r.Project, input_tokens = r.InputTokens - (r.InputTokens / 2), output_tokens = r.OutputTokens - (r.OutputTokens / 2), total_tokens = 0L, latency_ms = 900.0, cost_usd = 0.25, requests = r.Requests - (r.Requests / 2) },
        });
        await context.Response.WriteAsJsonAsync(new { usage });
    }

    private async Task OpenAiAsync(HttpContext context)
    {
        if (await PlayFaultAsync(context))
        {
            return;
        }

        var query = context.Request.Query;
        var start = long.Parse(query["start_time"]!, CultureInfo.InvariantCulture);
        var end = long.Parse(query["end_time"]!, CultureInfo.InvariantCulture);
        var limit = int.Parse(query["limit"]!, CultureInfo.InvariantCulture);
        var page = query.TryGetValue("page", out var p) ? p.ToString() : null;
        if (page is not null)
        {
            PageCursors.Add(page);
        }

        var first = page is null ? start : long.Parse(page["cursor-".Length..], CultureInfo.InvariantCulture);
        var buckets = new List<object>();
        var bucketStart = first;
        for (; bucketStart < end && buckets.Count < limit; bucketStart += 3600)
        {
            var hour = DateTimeOffset.FromUnixTimeSeconds(bucketStart);
            var results = Rows.Where(r => r.Hour == hour).Select(r => new
            {
                @object = "organization.usage.completions.result",
                input_tokens = r.InputTokens,
                output_tokens = r.OutputTokens,
                input_cached_tokens = r.CachedInputTokens ?? 0,
                num_model_requests = r.Requests,
                model = r.Model,
                project_id = r.Project,
                batch = (bool?)null,
            }).ToList();
            buckets.Add(new { @object = "bucket", start_time = bucketStart, end_time = bucketStart + 3600, results });
        }

        var hasMore = bucketStart < end;
        await context.Response.WriteAsJsonAsync(new { @object = "page", data = buckets, has_more = hasMore, next_page = hasMore ? $"cursor-{bucketStart}" : null });
    }
}
