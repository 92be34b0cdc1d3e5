using System.Diagnostics;
using System.Text.Json;
using Forecasting.Core;
using Forecasting.Core.Usage;
using Forecasting.Data.Collect;
using Forecasting.Data.Export;
using Forecasting.Data.Ingest;
using Forecasting.Data.Stores;
using Forecasting.Data.Tests.Support;
using Forecasting.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forecasting.Data.Tests.Collect;

/// <summary>
/// Sources that answer what no source should: the collector stores exactly what the source says, once,
/// or nothing with a clear error. Against the local stand-in server, storing into real SQLite.
/// </summary>
public sealed class HostileSourceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset From = Rows.T0;
    private static readonly DateTimeOffset To = Rows.T0.AddHours(24);

    private readonly TempFolder _folder = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly List<string> _log = [];
    private IUsageStore _store = null!;
    private FakeUsageServer _server = null!;

    public async Task InitializeAsync()
    {
        _store = await UsageStore.OpenAndMigrateAsync(_folder.File("usage.db"), CancellationToken.None);
        _server = await FakeUsageServer.StartAsync([]);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _store.DisposeAsync();
        _http.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task TheSameBucketOnTwoPagesIsStoredOnceNotSummed()
    {
        ServePages(
            Page([Bucket(0, Result("tutor", "gpt-4.1", 100)), Bucket(1, Result("tutor", "gpt-4.1", 110))], "c1"),
            Page([Bucket(1, Result("tutor", "gpt-4.1", 110)), Bucket(2, Result("tutor", "gpt-4.1", 120))], null));

        await CollectAsync("openai");

        var stored = await ReadAsync();
        Assert.Equal([100L, 110, 120], stored.Select(r => r.InputTokens));
        Assert.Equal([Rows.T0, Rows.T0.AddHours(1), Rows.T0.AddHours(2)], stored.Select(r => r.Hour));
    }

    [Fact]
    public async Task ConflictingDuplicateBucketsRefuseTheCollectionAndStoreNothing()
    {
        ServePages(
            Page([Bucket(0, Result("tutor", "gpt-4.1", 100)), Bucket(1, Result("tutor", "gpt-4.1", 110))], "c1"),
            Page([Bucket(1, Result("tutor", "gpt-4.1", 999))], null));

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => CollectAsync("openai"));

        Assert.Contains("openai:bucket 2026-01-05T01:00:00Z: results:", e.Message, StringComparison.Ordinal);
        Assert.Contains("110 and 999", e.Message, StringComparison.Ordinal);
        Assert.Empty(await ReadAsync());
    }

    [Fact]
    public async Task ABucketNotOnTheHourIsRefusedNotMergedIntoTheHour()
    {
        ServePages(Page([Bucket(0, Result("tutor", "gpt-4.1", 100)), BucketAt(Rows.T0.AddMinutes(30).ToUnixTimeSeconds(), Result("tutor", "gpt-4.1", 5))], null));

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => CollectAsync("openai"));

        Assert.Contains("start_time", e.Message, StringComparison.Ordinal);
        Assert.Contains("2026-01-05T00:30:00Z is not at the start of an hour", e.Message, StringComparison.Ordinal);
        Assert.Empty(await ReadAsync());
    }

    public static TheoryData<string, string, string> HostileNames => new()
    {
        { "model", new string('m', 10_000), "characters long" },
        { "model", "gpt\n4.1", "U+000A" },
        { "project_id", "\u001b[2Jtutor", "U+001B" },
        { "project_id", "*", "reserved" },
        { "model", "b/c", "'/'" },
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task NamesIngestWouldRefuseAreRefusedByCollectToo(string field, string name, string reason)
    {
        var project = field == "project_id" ? name : "tutor";
        var model = field == "model" ? name : "gpt-4.1";
        ServePages(Page([Bucket(0, Result("tutor", "gpt-4.1", 100)), Bucket(1, Result(project, model, 5))], null));
        var openai = await Assert.ThrowsAsync<InvalidInputException>(() => CollectAsync("openai"));
        _server.Answer = context => context.Response.WriteAsJsonAsync(new
        {
            usage = new object[]
            {
                new { timestamp = "2026-01-05T00:00:00Z", model = "gpt-4.1", project = "tutor", input_tokens = 1, output_tokens = 1 },
                new { timestamp = "2026-01-05T01:00:00Z", model, project, input_tokens = 1, output_tokens = 1 },
            },
        });
        var relay = await Assert.ThrowsAsync<InvalidInputException>(() => CollectAsync("relay"));

        foreach (var (e, expectedField) in new[] { (openai, field), (relay, field == "project_id" ? "project" : field) })
        {
            Assert.Contains($": {expectedField}: ", e.Message, StringComparison.Ordinal);
            Assert.Contains(reason, e.Message, StringComparison.Ordinal);
            // The message never carries the raw control characters (no terminal escapes from a source).
            Assert.DoesNotContain('\u001b', e.Message);
        }

        Assert.Empty(await ReadAsync());
    }

    [Fact]
    public async Task MarkupInANameIsStoredAsItIsAndExportsAFileIngestTakesBack()
    {
        const string Project = "<script>alert(1)| **x** ](javascript:alert(1))";
        ServePages(Page([Bucket(0, Result(Project, "gpt-4.1", 100))], null));

        await CollectAsync("openai");
        var path = _folder.File("export.csv");
        await UsageCsvWriter.WriteAsync(_store.ReadAsync(UsageQuery.All, CancellationToken.None), path, CancellationToken.None);
        var parsed = UsageIngestor.Parse(path);

        Assert.Empty(parsed.Errors);
        Assert.Equal(Project, Assert.Single(parsed.Rows).Project);
    }

    [Fact]
    public async Task CursorsThatCycleStopAtOnce()
    {
        _server.Answer = context =>
        {
            var next = context.Request.Query["page"] == "A" ? "B" : "A";
            return context.Response.WriteAsJsonAsync(new { data = Array.Empty<object>(), has_more = true, next_page = next });
        };

        var e = await Assert.ThrowsAsync<SourceException>(() => CollectAsync("openai"));

        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.Requests);
        Assert.Empty(await ReadAsync());
    }

    [Fact]
    public async Task ANewCursorEveryPageStopsAfterTheBoundOnPages()
    {
        var served = 0;
        _server.Answer = context => context.Response.WriteAsJsonAsync(new { data = Array.Empty<object>(), has_more = true, next_page = "p" + Interlocked.Increment(ref served) });
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<SourceException>(() => CollectAsync("openai"));

        // 24 hours at 24 buckets a page: one page needed, twice that plus ten allowed.
        Assert.Contains("still paging after 12 pages", e.Message, StringComparison.Ordinal);
        Assert.Equal(12, _server.Requests);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task PagingStopsAfterTheBoundOnTime()
    {
        _server.Answer = async context =>
        {
            await Task.Delay(150);
            await context.Response.WriteAsJsonAsync(new { data = Array.Empty<object>(), has_more = true, next_page = Guid.NewGuid().ToString() });
        };

        var e = await Assert.ThrowsAsync<SourceException>(() => CollectAsync("openai", options => options with { MaxPages = 1000, MaxDuration = TimeSpan.FromSeconds(1) }));

        Assert.Contains("still paging after 1 s", e.Message, StringComparison.Ordinal);
        Assert.InRange(_server.Requests, 5, 10);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ARedirectToAnotherHostIsRefusedAndItsDataNotStored(bool followRedirects)
    {
        await using var other = await FakeUsageServer.StartAsync(Rows.Grid(24, ["gpt-4.1"], ["tutor"]));
        _server.Answer = context =>
        {
            context.Response.Redirect(other.BaseUrl + "/organization/usage/completions" + context.Request.QueryString);
            return Task.CompletedTask;
        };
        using var http = followRedirects ? new HttpClient { Timeout = Timeout.InfiniteTimeSpan } : SourceHttpClient.CreateHttpClient();

        var e = await Assert.ThrowsAsync<SourceException>(() => CollectAsync("openai", http: http));

        Assert.Contains(followRedirects ? "redirected to another host" : "answered 302 (a redirect to", e.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{other.BaseUrl.Port}", e.Message, StringComparison.Ordinal);
        Assert.Empty(await ReadAsync());
        // Whatever the handler does, the key never goes to the other host.
        Assert.DoesNotContain(other.Received, r => r.Authorization.Contains(FakeUsageServer.Key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("input_tokens", "18446744073709551616", "not a 64-bit integer count")]
    [InlineData("input_tokens", "9223372036854775807", "more than 1000000000000")]
    [InlineData("num_model_requests", "-1", "negative")]
    [InlineData("output_tokens", "1.5", "not a 64-bit integer count")]
    public async Task CountsBeyondTheBoundAreACleanError(string field, string value, string reason)
    {
        _server.Answer = context => context.Response.WriteAsync(
            $$"""{"data":[{"start_time":{{Rows.T0.ToUnixTimeSeconds()}},"results":[{"model":"gpt-4.1","project_id":"tutor","input_tokens":1,"output_tokens":1,"num_model_requests":1,"{{field}}":{{value}}}]}],"has_more":false}""");

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => CollectAsync("openai"));

        Assert.Contains($"openai:bucket 2026-01-05T00:00:00Z: {field}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Empty(await ReadAsync());
    }

    [Fact]
    public async Task RelayEntriesWhoseHourlySumPassesTheBoundAreACleanError()
    {
        _server.Answer = context => context.Response.WriteAsJsonAsync(new
        {
            usage = Enumerable.Range(0, 3).Select(i => new { timestamp = "2026-01-05T03:00:00Z", model = "gpt-4.1", project = "tutor", input_tokens = 600_000_000_000L, output_tokens = 1L }),
        });

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => CollectAsync("relay"));

        Assert.Contains("relay:hour 2026-01-05T03:00:00Z tutor/gpt-4.1 (sum of its entries): input_tokens: 1800000000000 is more than", e.Message, StringComparison.Ordinal);
        Assert.Empty(await ReadAsync());
    }

    [Theory]
    [InlineData("253402300800")]
    [InlineData("9223372036854775807")]
    [InlineData("-62135596801")]
    public async Task ABucketOutsideTheCalendarIsACleanError(string startTime)
    {
        _server.Answer = context => context.Response.WriteAsync(
            $$"""{"data":[{"start_time":{{startTime}},"results":[{"model":"gpt-4.1","project_id":"tutor","input_tokens":1,"output_tokens":1,"num_model_requests":1}]}],"has_more":false}""");

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => CollectAsync("openai"));

        Assert.Contains(": start_time: ", e.Message, StringComparison.Ordinal);
        Assert.Empty(await ReadAsync());
    }

    [Theory]
    [InlineData("253402300800")]
    [InlineData("\"9999-12-31T23:59:59Z\"")]
    [InlineData("\"0001-01-01T00:00:00Z\"")]
    public async Task ARelayEntryOutsideTheHourWindowIsACleanError(string timestamp)
    {
        _server.Answer = context => context.Response.WriteAsync(
            $$"""{"usage":[{"timestamp":{{timestamp}},"model":"gpt-4.1","input_tokens":1,"output_tokens":1}]}""");

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => CollectAsync("relay"));

        Assert.Contains(": timestamp: ", e.Message, StringComparison.Ordinal);
        Assert.Empty(await ReadAsync());
    }

    [Fact]
    public async Task RelayRequestsCarryAContentLengthAndAUserAgent()
    {
        await using var relay = await FakeUsageServer.StartAsync(Rows.Grid(24, ["gpt-4.1"], ["tutor"]));
        var options = Options();
        var client = new SourceHttpClient(_http, FakeUsageServer.Key, options, NullLogger.Instance);
        await new UsageCollector(_store, NullLogger.Instance).CollectAsync(UsageCollector.CreateSource("relay", relay.BaseUrl, client, options), client, From, To, CancellationToken.None);

        var request = Assert.Single(relay.Received);
        Assert.True(request.ContentLength > 20, $"Content-Length {request.ContentLength}");
        Assert.DoesNotContain("chunked", request.TransferEncoding, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("Forecasting/", request.UserAgent, StringComparison.Ordinal);
        Assert.Equal(24, (await ReadAsync()).Count);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("relay")]
    public async Task CredentialsInTheBaseUrlNeverAppearInMessagesOrLogs(string kind)
    {
        _server.Answer = context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };
        var withPassword = new UriBuilder(_server.BaseUrl) { UserName = "u", Password = "hunter2secret" }.Uri;

        var e = await Assert.ThrowsAsync<SourceException>(() => CollectAsync(kind, baseUrl: withPassword));

        Assert.Contains("503", e.Message, StringComparison.Ordinal);
        Assert.Contains(_server.BaseUrl.Authority, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret", e.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(_log);
        Assert.DoesNotContain(_log, l => l.Contains("hunter2secret", StringComparison.Ordinal));
    }

    private static string Page(IEnumerable<string> buckets, string? next) =>
        $$"""{"object":"page","data":[{{string.Join(',', buckets)}}],"has_more":{{(next is null ? "false" : "true")}},"next_page":{{(next is null ? "null" : JsonSerializer.Serialize(next))}}}""";

    private static string Bucket(int hour, params string[] results) => BucketAt(Rows.T0.AddHours(hour).ToUnixTimeSeconds(), results);

    private static string BucketAt(long start, params string[] results) =>
        $$"""{"object":"bucket","start_time":{{start}},"end_time":{{start + 3600}},"results":[{{string.Join(',', results)}}]}""";

    private static string Result(string project, string model, long input) =>
        $$"""{"model":{{JsonSerializer.Serialize(model)}},"project_id":{{JsonSerializer.Serialize(project)}},"input_tokens":{{input}},"output_tokens":{{input / 10}},"num_model_requests":1}""";

    private void ServePages(params string[] pages)
    {
        _server.Answer = context =>
        {
            var cursor = context.Request.Query["page"].ToString();
            var index = cursor.Length == 0 ? 0 : int.Parse(cursor[1..], System.Globalization.CultureInfo.InvariantCulture);
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(pages[index]);
        };
    }

    private static CollectorOptions Options() => new()
    {
        MaxRetries = 1,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        PageLimit = 24,
        RelayChunk = TimeSpan.FromDays(1),
    };

    private async Task<CollectOutcome> CollectAsync(string kind, Func<CollectorOptions, CollectorOptions>? configure = null, HttpClient? http = null, Uri? baseUrl = null)
    {
        var options = configure is null ? Options() : configure(Options());
        var client = new SourceHttpClient(http ?? _http, FakeUsageServer.Key, options, new ListLogger(_log));
        var source = UsageCollector.CreateSource(kind, baseUrl ?? _server.BaseUrl, client, options);
        return await new UsageCollector(_store, NullLogger.Instance).CollectAsync(source, client, From, To, CancellationToken.None);
    }

    private async Task<List<HourlyUsage>> ReadAsync()
    {
        var rows = new List<HourlyUsage>();
        await foreach (var row in _store.ReadAsync(UsageQuery.All, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }
}
