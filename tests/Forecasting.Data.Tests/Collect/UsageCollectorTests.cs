using System.Diagnostics;
using Forecasting.Core.Usage;
using Forecasting.Data.Collect;
using Forecasting.Data.Stores;
using Forecasting.Data.Tests.Support;
using Forecasting.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forecasting.Data.Tests.Collect;

/// <summary>The collector against a local server speaking the relay and OpenAI usage formats, storing into real SQLite.</summary>
public sealed class UsageCollectorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset From = Rows.T0;
    private static readonly DateTimeOffset To = Rows.T0.AddHours(72);

    private readonly TempFolder _folder = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly List<string> _log = [];
    private IUsageStore _store = null!;
    private FakeUsageServer _server = null!;

    public async Task InitializeAsync()
    {
        _store = await UsageStore.OpenAndMigrateAsync(_folder.File("usage.db"), CancellationToken.None);
        // Three days, with hours 30-33 missing everywhere (a relay outage): they must stay gaps.
        var rows = Rows.Grid(72, ["gpt-4.1", "deepseek-v3.2"], ["tutor", "support"])
            .Where(r => r.Hour < Rows.T0.AddHours(30) || r.Hour >= Rows.T0.AddHours(34))
            .Select(r => r with { CachedInputTokens = r.InputTokens / 3, CostUsd = null, LatencyMsP50 = null, LatencyMsP95 = null, Errors = null })
            .ToList();
        _server = await FakeUsageServer.StartAsync(rows);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("relay")]
    public async Task TheWholeWindowIsStoredWithGapsLeftAbsent(string kind)
    {
        var (outcome, client) = await CollectAsync(kind);

        var stored = await ReadAsync();
        Assert.Equal(_server.Rows.Count, stored.Count);
        Assert.Equal(_server.Rows.Count, outcome.RowsStored);
        Assert.DoesNotContain(stored, r => r.Hour >= Rows.T0.AddHours(30) && r.Hour < Rows.T0.AddHours(34));
        var expected = _server.Rows.ToDictionary(r => r.Key);
        Assert.All(stored, r =>
        {
            var e = expected[r.Key];
            Assert.Equal((e.InputTokens, e.OutputTokens, e.Requests), (r.InputTokens, r.OutputTokens, r.Requests));
        });
        if (kind == "openai")
        {
            // 72 hourly buckets at 24 per page: three pages, following next_page.
            Assert.Equal(3, client.Attempts);
            Assert.Equal(2, _server.PageCursors.Count);
            Assert.All(stored, r => Assert.Equal(expected[r.Key].CachedInputTokens, r.CachedInputTokens));
        }
        else
        {
            Assert.All(stored, r => Assert.Equal(0.75, r.CostUsd!.Value, 9));
        }
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("relay")]
    public async Task CollectingTheSameWindowTwiceStoresExactlyTheSameRows(string kind)
    {
        await CollectAsync(kind);
        var first = await ReadAsync();
        await CollectAsync(kind);

        Assert.Equal(first, await ReadAsync());
    }

    [Theory]
    [InlineData(FakeUsageServer.Fault.ServerError, FakeUsageServer.Fault.Unavailable)]
    [InlineData(FakeUsageServer.Fault.Garbage, FakeUsageServer.Fault.Truncated)]
    [InlineData(FakeUsageServer.Fault.Slow)]
    public async Task TransientFailuresAreRetriedAndNothingIsLost(params FakeUsageServer.Fault[] faults)
    {
        _server.Enqueue(faults);

        var (_, client) = await CollectAsync("openai");

        Assert.Equal(3 + faults.Length, client.Attempts);
        Assert.Equal(_server.Rows.Count, (await ReadAsync()).Count);
        Assert.Equal(faults.Length, _log.Count(l => l.Contains("retry", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task A429WaitsForRetryAfter()
    {
        _server.Enqueue(FakeUsageServer.Fault.TooManyRequests);
        var watch = Stopwatch.StartNew();

        var (_, client) = await CollectAsync("relay");

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.95), $"retried after {watch.Elapsed.TotalSeconds:N2} s, before Retry-After: 1");
        // Three one-day relay requests, the first answered 429 once.
        Assert.Equal(4, client.Attempts);
        Assert.Equal(_server.Rows.Count, (await ReadAsync()).Count);
    }

    [Fact]
    public async Task GivingUpStoresNothingAndSaysWhy()
    {
        _server.Enqueue(Enumerable.Repeat(FakeUsageServer.Fault.Unavailable, 10).ToArray());

        var e = await Assert.ThrowsAsync<SourceException>(() => CollectAsync("openai", retries: 2));

        Assert.Contains("503", e.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempts", e.Message, StringComparison.Ordinal);
        Assert.Empty(await ReadAsync());
    }

    [Fact]
    public async Task ARefusedKeyStopsAtOnceWithoutLeakingTheKey()
    {
        var e = await Assert.ThrowsAsync<SourceAuthenticationException>(() => CollectAsync("openai", key: "sk-wrong-key-123"));

        Assert.Equal(1, _server.Requests);
        Assert.Contains("401", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-wrong-key-123", e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_log, l => l.Contains("sk-wrong-key-123", StringComparison.Ordinal) || l.Contains(FakeUsageServer.Key, StringComparison.Ordinal));
        Assert.Empty(await ReadAsync());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _store.DisposeAsync();
        _http.Dispose();
        _folder.Dispose();
    }

    private async Task<(CollectOutcome Outcome, SourceHttpClient Client)> CollectAsync(string kind, int retries = 4, string key = FakeUsageServer.Key)
    {
        var options = new CollectorOptions
        {
            MaxRetries = retries,
            BaseDelay = TimeSpan.FromMilliseconds(20),
            AttemptTimeout = TimeSpan.FromSeconds(1),
            PageLimit = 24,
            RelayChunk = TimeSpan.FromDays(1),
        };
        var logger = new ListLogger(_log);
        var client = new SourceHttpClient(_http, key, options, logger);
        var source = UsageCollector.CreateSource(kind, _server.BaseUrl, client, options);
        var outcome = await new UsageCollector(_store, NullLogger.Instance).CollectAsync(source, client, From, To, CancellationToken.None);
        return (outcome, client);
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
