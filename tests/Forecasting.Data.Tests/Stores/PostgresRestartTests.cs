using Forecasting.Core.Usage;
using Forecasting.Data.Collect;
using Forecasting.Data.Export;
using Forecasting.Data.Ingest;
using Forecasting.Data.Stores;
using Forecasting.Data.Tests.Support;
using Forecasting.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Forecasting.Data.Tests.Stores;

/// <summary>
/// PostgreSQL restarted under running work, on a server of the test's own: in-memory writes
/// (collection, forecast runs) wait for it and complete; a streamed ingest fails with nothing
/// stored; nothing is ever half written or doubled.
/// </summary>
public sealed class PostgresRestartTests : IAsyncLifetime
{
    private readonly List<string> _log = [];
    private PrivatePostgres _server = null!;
    private IUsageStore _store = null!;

    public async Task InitializeAsync()
    {
        _server = await PrivatePostgres.StartAsync();
        _store = await UsageStore.OpenAndMigrateAsync(_server.ConnectionString, new ListLogger(_log), CancellationToken.None);
    }

    [SkippableFact]
    public async Task PostgresRestartedDuringCollectionLosesAndDuplicatesNoHour()
    {
        var rows = Rows.Grid(72, ["gpt-4.1", "deepseek-v3.2"], ["tutor", "support"]).Select(r => r with { CostUsd = null, LatencyMsP50 = null, LatencyMsP95 = null, Errors = null }).ToList();
        await using var relay = await FakeUsageServer.StartAsync(rows);
        // The first day is stored already, so the pool holds connections that the restart kills.
        await _store.UpsertAsync([.. rows.Where(r => r.Hour < Rows.T0.AddHours(24))], CancellationToken.None);
        Task? restart = null;
        relay.BeforeAnswer = async request =>
        {
            if (request == 2)
            {
                // Down while the second page is fetched, back 2 s later: the write meets a dead pool, then no server.
                await _server.StopAsync(CancellationToken.None);
                restart = Task.Run(async () =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(2));
                    await _server.StartAsync(CancellationToken.None);
                });
            }
        };

        var outcome = await CollectAsync(relay);

        Assert.NotNull(restart);
        await restart;
        Assert.Equal(rows.Count, outcome.RowsStored);
        Assert.Contains(_log, l => l.Contains("PostgreSQL unavailable; retry", StringComparison.Ordinal));
        await AssertStoredExactlyAsync(rows);

        // The next run completes and changes nothing.
        relay.BeforeAnswer = null;
        await CollectAsync(relay);
        await AssertStoredExactlyAsync(rows);
    }

    [SkippableFact]
    public async Task PostgresRestartedInTheMiddleOfAWriteStoresItOnceAfterTheRestart()
    {
        var rows = Rows.Grid(24 * 7 * 8, ["gpt-4.1", "deepseek-v3.2", "claude-sonnet-4.5"], [.. Enumerable.Range(0, 100).Select(i => $"p{i:D3}")]);
        var restarted = RestartWhenWritingAsync(await LockUsageTableAsync());

        var stored = await _store.UpsertAsync(rows, CancellationToken.None);

        Assert.True(await restarted, "the write finished before the server could be restarted under it");
        Assert.Equal(rows.Count, stored);
        Assert.Contains(_log, l => l.Contains("PostgreSQL unavailable; retry", StringComparison.Ordinal));
        Assert.Equal(rows.Count, await _server.ScalarAsync("SELECT COUNT(*) FROM usage_hourly"));
        Assert.Equal(rows.Sum(r => r.InputTokens), await _server.ScalarAsync("SELECT SUM(input_tokens) FROM usage_hourly"));
    }

    [SkippableFact]
    public async Task PostgresRestartedDuringAStreamedUpsertFailsItWithNothingStored()
    {
        var rows = Rows.Grid(24 * 7 * 8, ["gpt-4.1", "deepseek-v3.2", "claude-sonnet-4.5"], [.. Enumerable.Range(0, 100).Select(i => $"p{i:D3}")]);
        var restarted = RestartWhenWritingAsync(await LockUsageTableAsync());

        // A stream cannot be replayed by the store: the call fails with nothing stored (the ingest then reads its file again).
        var failure = await Assert.ThrowsAnyAsync<NpgsqlException>(() => _store.UpsertStreamAsync(rows.ToAsyncEnumerable(), CancellationToken.None));

        Assert.True(await restarted);
        Assert.True(TransientRetry.IsTransient(failure), failure.ToString());
        Assert.Equal(0, await _server.ScalarAsync("SELECT COUNT(*) FROM usage_hourly"));
        Assert.Equal(rows.Count, await _store.UpsertStreamAsync(rows.ToAsyncEnumerable(), CancellationToken.None));
        Assert.Equal(rows.Count, await _server.ScalarAsync("SELECT COUNT(*) FROM usage_hourly"));
    }

    [SkippableFact]
    public async Task PostgresRestartedDuringAFileIngestReadsTheFileAgainAndStoresItOnce()
    {
        var rows = Rows.Grid(24 * 7 * 8, ["gpt-4.1", "deepseek-v3.2", "claude-sonnet-4.5"], [.. Enumerable.Range(0, 100).Select(i => $"p{i:D3}")]);
        using var folder = new TempFolder();
        var csv = folder.File("usage.csv");
        await UsageCsvWriter.WriteAsync(rows.ToAsyncEnumerable(), csv, CancellationToken.None);
        var restarted = RestartWhenWritingAsync(await LockUsageTableAsync());

        var outcome = await new UsageIngestor(_store, new ListLogger(_log)).IngestAsync(csv, false, CancellationToken.None);

        Assert.True(await restarted, "the ingest finished before the server could be restarted under it");
        Assert.Contains(_log, l => l.Contains("reading it again, attempt 2 of 3", StringComparison.Ordinal));
        Assert.Equal(rows.Count, outcome.RowsStored);
        Assert.Equal(rows.Count, await _server.ScalarAsync("SELECT COUNT(*) FROM usage_hourly"));
        Assert.Equal(rows.Sum(r => r.OutputTokens), await _server.ScalarAsync("SELECT SUM(output_tokens) FROM usage_hourly"));
    }

    [SkippableFact]
    public async Task PostgresRestartedInTheMiddleOfAReadResumesAfterTheLastRow()
    {
        var rows = Rows.Grid(24 * 7 * 4, ["gpt-4.1", "deepseek-v3.2"], [.. Enumerable.Range(0, 50).Select(i => $"p{i:D3}")]);
        await _store.UpsertAsync(rows, CancellationToken.None);

        var read = new List<HourlyUsage>();
        await foreach (var row in _store.ReadAsync(UsageQuery.All, CancellationToken.None))
        {
            read.Add(row);
            if (read.Count == 1000)
            {
                await _server.StopAsync(CancellationToken.None);
                await _server.StartAsync(CancellationToken.None);
            }
        }

        Assert.Contains(_log, l => l.Contains("PostgreSQL connection lost after", StringComparison.Ordinal));
        var expected = rows.OrderBy(r => r.Hour).ThenBy(r => r.Project, StringComparer.Ordinal).ThenBy(r => r.Model, StringComparer.Ordinal).Select(r => r.Key).ToList();
        Assert.Equal(expected, read.Select(r => r.Key).ToList());
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>
    /// Holds usage_hourly in SHARE mode on a connection of its own, so that a write (COPY or INSERT)
    /// waits for the lock: the restart then lands inside the write however fast or slow the machine is.
    /// </summary>
    private async Task<NpgsqlConnection> LockUsageTableAsync()
    {
        var blocker = new NpgsqlConnection(_server.ConnectionString + ";Pooling=false");
        await blocker.OpenAsync();
        await using var begin = new NpgsqlCommand("BEGIN; LOCK TABLE usage_hourly IN SHARE MODE", blocker);
        await begin.ExecuteNonQueryAsync();
        return blocker;
    }

    /// <summary>Waits until a write of usage rows waits on the lock, then restarts the server (which ends the lock too).</summary>
    private async Task<bool> RestartWhenWritingAsync(NpgsqlConnection blocker)
    {
        await using (blocker)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                var writing = await _server.ScalarAsync("""
                    SELECT COUNT(*) FROM pg_stat_activity
                    WHERE wait_event_type = 'Lock' AND (query ILIKE 'COPY usage_hourly%' OR query ILIKE 'INSERT INTO usage_hourly%')
                    """);
                if (writing > 0)
                {
                    await _server.StopAsync(CancellationToken.None);
                    await _server.StartAsync(CancellationToken.None);
                    return true;
                }

                await Task.Delay(10);
            }

            return false;
        }
    }

    private async Task<CollectOutcome> CollectAsync(FakeUsageServer relay)
    {
        var options = new CollectorOptions { BaseDelay = TimeSpan.FromMilliseconds(20), AttemptTimeout = TimeSpan.FromSeconds(5), RelayChunk = TimeSpan.FromDays(1) };
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var client = new SourceHttpClient(http, FakeUsageServer.Key, options, NullLogger.Instance);
        var source = UsageCollector.CreateSource("relay", relay.BaseUrl, client, options);
        return await new UsageCollector(_store, NullLogger.Instance).CollectAsync(source, client, Rows.T0, Rows.T0.AddHours(72), CancellationToken.None);
    }

    private async Task AssertStoredExactlyAsync(List<HourlyUsage> expected)
    {
        var stored = new List<HourlyUsage>();
        await foreach (var row in _store.ReadAsync(UsageQuery.All, CancellationToken.None))
        {
            stored.Add(row);
        }

        Assert.Equal(expected.Count, stored.Count);
        var byKey = expected.ToDictionary(r => r.Key);
        Assert.All(stored, r => Assert.Equal((byKey[r.Key].InputTokens, byKey[r.Key].OutputTokens, byKey[r.Key].Requests), (r.InputTokens, r.OutputTokens, r.Requests)));
    }
}
