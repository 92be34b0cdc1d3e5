using Forecasting.Data.Export;
using Forecasting.Data.Ingest;
using Forecasting.Data.Samples;
using Forecasting.Data.Stores;
using Forecasting.Data.Tests.Support;
using Forecasting.Testing;

namespace Forecasting.Data.Tests.Ingest;

/// <summary>Ingest end to end into the real SQLite engine (and PostgreSQL where the contract differs in speed only).</summary>
public sealed class UsageIngestorTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private IUsageStore _store = null!;

    public async Task InitializeAsync() => _store = await UsageStore.OpenAndMigrateAsync(_folder.File("usage.db"), CancellationToken.None);

    [Fact]
    public async Task AFileWithOneBadRowIsRefusedAndNothingIsStored()
    {
        await _store.UpsertAsync([Rows.Make(0)], CancellationToken.None);
        var path = _folder.Write("mixed.csv", """
            hour,model,project,input_tokens,output_tokens,requests
            2026-01-05T01:00:00Z,gpt-4.1,tutor,1,1,1
            2026-01-05T02:00:00Z,gpt-4.1,tutor,1,-1,1
            2026-01-05T03:00:00Z,gpt-4.1,tutor,1,1,1
            """);

        var outcome = await new UsageIngestor(_store).IngestAsync(path, skipInvalid: false, CancellationToken.None);

        Assert.True(outcome.Refused);
        Assert.Equal(0, outcome.RowsStored);
        Assert.Equal("mixed.csv:3: output_tokens: '-1' is negative", Path.GetFileName(outcome.Errors.Single().ToString()));
        Assert.Equal(1, (await _store.SummarizeAsync(CancellationToken.None)).Rows);
        Assert.False(File.Exists(path + ".rejects"));
    }

    [Fact]
    public async Task SkipInvalidStoresTheGoodRowsAndWritesTheBadOnesWithReasons()
    {
        var path = _folder.Write("mixed.csv", """
            hour,model,project,input_tokens,output_tokens,requests
            2026-01-05T01:00:00Z,gpt-4.1,tutor,1,1,1
            2026-01-05T02:30:00Z,gpt-4.1,tutor,1,1,1
            2026-01-05T03:00:00Z,gpt-4.1,tutor,1,1,1
            2026-01-05T04:00:00Z,gpt-4.1,tutor,x,1,1
            """);

        var outcome = await new UsageIngestor(_store).IngestAsync(path, skipInvalid: true, CancellationToken.None);

        Assert.False(outcome.Refused);
        Assert.Equal(2, outcome.RowsStored);
        Assert.Equal(2, (await _store.SummarizeAsync(CancellationToken.None)).Rows);
        var rejects = File.ReadAllLines(outcome.RejectsPath!);
        Assert.Equal("line,field,reason,record", rejects[0]);
        Assert.Equal(3, rejects.Length);
        Assert.StartsWith("3,hour,", rejects[1], StringComparison.Ordinal);
        Assert.Contains("2026-01-05T02:30:00Z", rejects[1], StringComparison.Ordinal);
        Assert.StartsWith("5,input_tokens,", rejects[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportThenIngestIsLosslessAndReingestIsIdempotent()
    {
        var sample = SampleUsageGenerator.Generate(new SampleUsageOptions { Weeks = 2 }).ToList();
        await _store.UpsertAsync(sample, CancellationToken.None);
        var exported = _folder.File("export.csv");
        await UsageCsvWriter.ExportAsync(_store, exported, UsageQuery.All, CancellationToken.None);

        await using var other = await UsageStore.OpenAndMigrateAsync(_folder.File("other.db"), CancellationToken.None);
        var ingestor = new UsageIngestor(other);
        await ingestor.IngestAsync(exported, false, CancellationToken.None);
        await ingestor.IngestAsync(exported, false, CancellationToken.None);

        var original = await ReadAsync(_store);
        var copy = await ReadAsync(other);
        Assert.Equal(sample.Count, copy.Count);
        Assert.Equal(original, copy);
    }

    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ABadRowFarIntoALargeFileRollsBackEverythingAlreadyStreamed(string engine)
    {
        await using var postgres = engine == "postgres" ? await TestPostgres.CreateAsync() : null;
        await using var store = postgres is null ? _store : await UsageStore.OpenAndMigrateAsync(postgres.ConnectionString, CancellationToken.None);
        var rows = Rows.Grid(3000, ["a", "b", "c"], ["p", "q", "r"]);
        var path = _folder.File("large.csv");
        await UsageCsvWriter.WriteAsync(rows.ToAsyncEnumerable(), path, CancellationToken.None);
        var lines = File.ReadAllLines(path).ToList();
        lines.Insert(25_000, "2026-01-05T13:00:00Z,a,p,1,1,-1");
        File.WriteAllLines(path, lines);

        var outcome = await new UsageIngestor(store).IngestAsync(path, skipInvalid: false, CancellationToken.None);

        Assert.True(outcome.Refused);
        Assert.Equal(25_001, outcome.Errors.Single().Line);
        Assert.Equal(27_001, outcome.RecordsRead);
        Assert.Equal(0, (await store.SummarizeAsync(CancellationToken.None)).Rows);
    }

    [SkippableFact]
    public async Task DuplicateKeysInOneFileKeepTheLastRowOnPostgres()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        await using var store = await UsageStore.OpenAndMigrateAsync(postgres.ConnectionString, CancellationToken.None);
        var path = _folder.Write("dupes.csv", """
            hour,model,project,input_tokens,output_tokens,requests
            2026-01-05T01:00:00Z,gpt-4.1,tutor,1,1,1
            2026-01-05T02:00:00Z,gpt-4.1,tutor,1,1,1
            2026-01-05T01:00:00Z,gpt-4.1,tutor,9,1,1
            """);

        var outcome = await new UsageIngestor(store).IngestAsync(path, false, CancellationToken.None);

        Assert.Equal(2, outcome.RowsStored);
        var summary = await store.SummarizeAsync(CancellationToken.None);
        Assert.Equal((2L, 10L), (summary.Rows, summary.InputTokens));
    }

    [Fact]
    public async Task AnUnknownFileTypeIsAUserError()
    {
        var path = _folder.Write("usage.xlsx", "not a spreadsheet");

        var e = await Assert.ThrowsAsync<Core.InvalidInputException>(() => new UsageIngestor(_store).IngestAsync(path, false, CancellationToken.None));

        Assert.Contains(".xlsx", e.Message, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _folder.Dispose();
    }

    private static async Task<List<Core.Usage.HourlyUsage>> ReadAsync(IUsageStore store)
    {
        var rows = new List<Core.Usage.HourlyUsage>();
        await foreach (var row in store.ReadAsync(UsageQuery.All, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }
}
