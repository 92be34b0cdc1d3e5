using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;
using Forecasting.Data.Tests.Support;

using Forecasting.Testing;

namespace Forecasting.Data.Tests.Stores;

/// <summary>
/// The contract both engines keep. Each engine's test class creates a fresh, real database per test.
/// </summary>
public abstract class UsageStoreContract
{
    protected abstract int LatestSchemaVersion { get; }

    /// <summary>A new, empty, migrated store, and what disposes it.</summary>
    protected abstract Task<(IUsageStore Store, IAsyncDisposable Cleanup)> CreateStoreAsync();

    [SkippableFact]
    public async Task MigrationIsVersionedAndIdempotent()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            Assert.Equal(LatestSchemaVersion, await store.GetSchemaVersionAsync(CancellationToken.None));
            await store.MigrateAsync(CancellationToken.None);
            await store.MigrateAsync(CancellationToken.None);
            Assert.Equal(LatestSchemaVersion, await store.GetSchemaVersionAsync(CancellationToken.None));
            Assert.Equal(0, (await store.SummarizeAsync(CancellationToken.None)).Rows);
        }
    }

    [SkippableFact]
    public async Task ReingestingReplacesRowsInsteadOfAddingToThem()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            var rows = Rows.Grid(24, ["gpt-4.1", "deepseek-v3.2"], ["tutor", "support"]);
            Assert.Equal(96, await store.UpsertAsync(rows, CancellationToken.None));
            Assert.Equal(96, await store.UpsertAsync(rows, CancellationToken.None));
            var changed = rows.Select(r => r with { InputTokens = r.InputTokens + 1, CostUsd = 1.5 }).ToList();
            await store.UpsertAsync(changed, CancellationToken.None);

            var stored = await ReadAllAsync(store);
            Assert.Equal(96, stored.Count);
            Assert.Equal(changed.Sum(r => r.InputTokens), stored.Sum(r => r.InputTokens));
            Assert.All(stored, r => Assert.Equal(1.5, r.CostUsd));
        }
    }

    [SkippableFact]
    public async Task OverlappingBatchesMergeByKey()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            var first = Enumerable.Range(0, 10).Select(h => Rows.Make(h, input: 100)).ToList();
            var second = Enumerable.Range(5, 10).Select(h => Rows.Make(h, input: 200)).ToList();
            await store.UpsertAsync(first, CancellationToken.None);
            await store.UpsertAsync(second, CancellationToken.None);

            var stored = await ReadAllAsync(store);
            Assert.Equal(15, stored.Count);
            Assert.Equal(Enumerable.Range(0, 15).Select(h => Rows.T0.AddHours(h)), stored.Select(r => r.Hour));
            Assert.Equal(5 * 100 + 10 * 200, stored.Sum(r => r.InputTokens));
        }
    }

    [SkippableFact]
    public async Task TheLastRowOfADuplicatedKeyInOneBatchWins()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            var written = await store.UpsertAsync([Rows.Make(0, input: 1), Rows.Make(1), Rows.Make(0, input: 7)], CancellationToken.None);

            Assert.Equal(2, written);
            var stored = await ReadAllAsync(store);
            Assert.Equal(7, stored.Single(r => r.Hour == Rows.T0).InputTokens);
        }
    }

    [SkippableFact]
    public async Task EveryFieldRoundTripsIncludingNulls()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            var rows = Rows.Grid(30, ["claude-sonnet-4.5"], ["codegen", "tutor"], seed: 7);
            await store.UpsertAsync(rows, CancellationToken.None);

            var stored = await ReadAllAsync(store);
            var expected = rows.OrderBy(r => r.Hour).ThenBy(r => r.Project, StringComparer.Ordinal).ToList();
            Assert.Equal(expected, stored);
            Assert.Contains(stored, r => r.CachedInputTokens is null);
            Assert.Contains(stored, r => r.CostUsd is null);
            Assert.All(stored, r => Assert.Equal(TimeSpan.Zero, r.Hour.Offset));
        }
    }

    [SkippableFact]
    public async Task AReingestThatChangesOnlyANullableFieldIsStored()
    {
        // The merge skips unchanged rows; a change to or from NULL must still count as a change.
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            var rows = Rows.Grid(10, ["gpt-4.1"], ["tutor"], seed: 3).Select(r => r with { CostUsd = 1.5, Errors = null }).ToList();
            await store.UpsertAsync(rows, CancellationToken.None);
            var changed = rows.Select((r, i) => i % 2 == 0 ? r with { CostUsd = null, Errors = 4 } : r).ToList();

            await store.UpsertAsync(rows, CancellationToken.None);
            await store.UpsertAsync(changed, CancellationToken.None);

            Assert.Equal(changed, await ReadAllAsync(store));
            await store.UpsertAsync(rows, CancellationToken.None);
            Assert.Equal(rows, await ReadAllAsync(store));
        }
    }

    [SkippableFact]
    public async Task ABatchWithAnInvalidRowStoresNothing()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            await store.UpsertAsync([Rows.Make(0)], CancellationToken.None);
            var batch = Enumerable.Range(1, 50).Select(h => Rows.Make(h)).Append(Rows.Make(60, input: -5)).ToList();

            await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertAsync(batch, CancellationToken.None));

            Assert.Single(await ReadAllAsync(store));
        }
    }

    [SkippableFact]
    public async Task QueriesFilterByHalfOpenRangeProjectAndModel()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            await store.UpsertAsync(Rows.Grid(48, ["a", "b"], ["p", "q"]), CancellationToken.None);

            var range = await ReadAllAsync(store, new UsageQuery(Rows.T0.AddHours(10), Rows.T0.AddHours(20)));
            var one = await ReadAllAsync(store, new UsageQuery(Project: "q", Model: "b"));

            Assert.Equal(40, range.Count);
            Assert.Equal(Rows.T0.AddHours(10), range.Min(r => r.Hour));
            Assert.Equal(Rows.T0.AddHours(19), range.Max(r => r.Hour));
            Assert.Equal(48, one.Count);
            Assert.All(one, r => Assert.Equal(("q", "b"), (r.Project, r.Model)));
        }
    }

    [SkippableFact]
    public async Task SummaryCountsWhatIsStored()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            var rows = Rows.Grid(100, ["a", "b", "c"], ["p", "q"]);
            await store.UpsertAsync(rows, CancellationToken.None);

            var summary = await store.SummarizeAsync(CancellationToken.None);

            Assert.Equal(600, summary.Rows);
            Assert.Equal(Rows.T0, summary.FirstHour);
            Assert.Equal(Rows.T0.AddHours(99), summary.LastHour);
            Assert.Equal((3, 2), (summary.Models, summary.Projects));
            Assert.Equal(rows.Sum(r => r.InputTokens), summary.InputTokens);
            Assert.Equal(rows.Sum(r => r.Requests), summary.Requests);
            Assert.Equal(rows.Sum(r => r.CostUsd ?? 0), summary.CostUsd!.Value, 6);
        }
    }

    [SkippableFact]
    public async Task ALargeBatchIsStoredCompletely()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            var rows = Rows.Grid(2000, ["a", "b", "c", "d", "e"], ["p", "q", "r", "s", "t"]);
            Assert.Equal(50_000, await store.UpsertAsync(rows, CancellationToken.None));
            // The second time every key exists, so PostgreSQL takes the merge path instead of the direct COPY.
            Assert.Equal(50_000, await store.UpsertAsync(rows, CancellationToken.None));

            var summary = await store.SummarizeAsync(CancellationToken.None);
            Assert.Equal(50_000, summary.Rows);
            Assert.Equal(rows.Sum(r => r.OutputTokens), summary.OutputTokens);
        }
    }

    [SkippableFact]
    public async Task ConcurrentWritersOfTheSameHoursEndWithOneRowPerKey()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            var rows = Rows.Grid(200, ["a", "b"], ["p", "q", "r"]);
            var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(() => store.UpsertAsync(rows, CancellationToken.None)));
            await Task.WhenAll(writers);

            var summary = await store.SummarizeAsync(CancellationToken.None);
            Assert.Equal(1200, summary.Rows);
            Assert.Equal(rows.Sum(r => r.InputTokens), summary.InputTokens);
        }
    }

    [SkippableFact]
    public async Task TheLatestForecastRunIsReadBackWhole()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            Assert.Null(await store.LatestForecastAsync(ForecastTarget.Tokens, CancellationToken.None));
            Assert.Null(await store.LatestForecastStampAsync(ForecastTarget.Tokens, CancellationToken.None));
            await store.SaveForecastAsync(Run("v0001", 1), CancellationToken.None);
            var first = await store.LatestForecastStampAsync(ForecastTarget.Tokens, CancellationToken.None);
            await store.SaveForecastAsync(Run("v0002", 2), CancellationToken.None);
            await store.SaveForecastAsync(Run("v0009", 3) with { Target = ForecastTarget.Cost }, CancellationToken.None);

            var latest = await store.LatestForecastAsync(ForecastTarget.Tokens, CancellationToken.None);
            var stamp = await store.LatestForecastStampAsync(ForecastTarget.Tokens, CancellationToken.None);

            Assert.NotNull(latest);
            // The stamp names the run read, and a later run has a later id.
            Assert.NotNull(stamp);
            Assert.True(stamp.Describes(latest));
            Assert.Equal("v0002", stamp.ModelVersion);
            Assert.True(stamp.Id > first!.Id, $"{stamp.Id} after {first.Id}");
            Assert.Equal("v0009", (await store.LatestForecastStampAsync(ForecastTarget.Cost, CancellationToken.None))!.ModelVersion);
            Assert.Equal(("v0002", Rows.T0.AddHours(100), 168), (latest.ModelVersion, latest.Origin, latest.Horizon));
            Assert.Equal(ForecastTarget.Tokens, latest.Target);
            Assert.Equal(["*/*", "tutor/gpt-4.1"], latest.Series.Select(s => s.Series).Order(StringComparer.Ordinal));
            var total = latest.Find("*/*")!;
            Assert.Equal("bottom-up", total.Model);
            Assert.Equal(168, total.Points.Count);
            Assert.Equal(new Core.Forecasting.ForecastPoint(Rows.T0.AddHours(101), 2 * 10, 2 * 20, 2 * 30.5), total.Points[0]);
        }
    }

    [SkippableFact]
    public async Task ThePlanOfTheLatestRunIsStoredWithItAndARunWithoutOneHasNone()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            Assert.Null(await store.LatestPlanAsync(ForecastTarget.Tokens, CancellationToken.None));
            await store.SaveForecastAsync(Run("v0001", 1), """{"plan":"é1"}""", CancellationToken.None);
            await store.SaveForecastAsync(Run("v0002", 1) with { Target = ForecastTarget.Cost }, """{"plan":"cost"}""", CancellationToken.None);

            Assert.Equal("""{"plan":"é1"}""", await store.LatestPlanAsync(ForecastTarget.Tokens, CancellationToken.None));
            Assert.Equal("""{"plan":"cost"}""", await store.LatestPlanAsync(ForecastTarget.Cost, CancellationToken.None));

            await store.SaveForecastAsync(Run("v0003", 1), CancellationToken.None);
            Assert.Null(await store.LatestPlanAsync(ForecastTarget.Tokens, CancellationToken.None));
        }
    }

    [SkippableFact]
    public async Task OnlyTheMostRecentForecastRunsAreKept()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            for (var i = 0; i < IUsageStore.ForecastRetention + 5; i++)
            {
                await store.SaveForecastAsync(Run($"v{i:0000}", 1), CancellationToken.None);
            }

            Assert.Equal(IUsageStore.ForecastRetention, await CountForecastRunsAsync(store));
            Assert.Equal($"v{IUsageStore.ForecastRetention + 4:0000}", (await store.LatestForecastAsync(ForecastTarget.Tokens, CancellationToken.None))!.ModelVersion);
        }
    }

    [SkippableFact]
    public async Task ARunKeepsItsHorizon()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            await store.SaveForecastAsync(Run("v0001", 1, horizon: 24) with { Target = ForecastTarget.Requests }, CancellationToken.None);

            var latest = (await store.LatestForecastAsync(ForecastTarget.Requests, CancellationToken.None))!;

            Assert.Equal((ForecastTarget.Requests, 24), (latest.Target, latest.Horizon));
            Assert.Equal(Rows.T0.AddHours(100 + 24 + 1), latest.End);
            Assert.Null(await store.LatestForecastAsync(ForecastTarget.Tokens, CancellationToken.None));
        }
    }

    [SkippableFact]
    public async Task ARunStoredBeforeRunsRecordedTheirHorizonGetsItFromItsPoints()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            await store.SaveForecastAsync(Run("v0001", 1, horizon: 36), CancellationToken.None);
            await RewindBeforeHorizonAsync(store);
            Assert.Equal(LatestSchemaVersion - 1, await store.GetSchemaVersionAsync(CancellationToken.None));

            await store.MigrateAsync(CancellationToken.None);

            Assert.Equal(LatestSchemaVersion, await store.GetSchemaVersionAsync(CancellationToken.None));
            Assert.Equal(36, (await store.LatestForecastAsync(ForecastTarget.Tokens, CancellationToken.None))!.Horizon);
        }
    }

    /// <summary>Drops the run horizon column and forgets its migration (the latest): the schema before runs recorded their horizon.</summary>
    protected abstract Task RewindBeforeHorizonAsync(IUsageStore store);

    protected abstract Task<long> CountForecastRunsAsync(IUsageStore store);

    /// <summary>Writes a usage row at <see cref="Rows.T0"/> behind the store's back: data stored before the limits existed.</summary>
    protected abstract Task InsertRawAsync(IUsageStore store, string project, string model, long inputTokens);

    public static TheoryData<string> HostileRows => ["project *", "model *", "project a/b", "model b/c", "max count", "year 1", "year 9999", "newline", "escape", "long name"];

    [SkippableTheory]
    [MemberData(nameof(HostileRows))]
    public async Task ARowBreakingTheLimitsRefusesTheBatchAndNothingIsStored(string shape)
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            var good = Rows.Make(0);
            var bad = shape switch
            {
                "project *" => Rows.Make(1, project: "*"),
                "model *" => Rows.Make(1, model: "*"),
                "project a/b" => Rows.Make(1, project: "a/b", model: "c"),
                "model b/c" => Rows.Make(1, project: "a", model: "b/c"),
                "max count" => Rows.Make(1, input: long.MaxValue),
                "year 1" => Rows.Make(1) with { Hour = new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero) },
                "year 9999" => Rows.Make(1) with { Hour = new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero) },
                "newline" => Rows.Make(1, model: "gpt\n4"),
                "escape" => Rows.Make(1, project: "\u001b[31mred"),
                _ => Rows.Make(1, model: new string('m', 10_000)),
            };

            var e = await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertAsync([good, bad], CancellationToken.None));
            await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertStreamAsync(new[] { good, bad }.ToAsyncEnumerable(), CancellationToken.None));

            Assert.Empty(await ReadAllAsync(store));
            Assert.Contains(shape.Split(' ')[0] switch { "project" => "project", "model" or "newline" or "long" => "model", "escape" => "project", "max" => "input_tokens", _ => "hour" }, e.Message, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task StatusSaturatesOnRowsStoredBeforeTheLimitsInsteadOfFailing()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            await InsertRawAsync(store, "tutor", "gpt-4.1", long.MaxValue);
            await InsertRawAsync(store, "tutor", "deepseek-v3.2", long.MaxValue);

            var summary = await store.SummarizeAsync(CancellationToken.None);

            Assert.Equal(2, summary.Rows);
            Assert.Equal(long.MaxValue, summary.InputTokens);
        }
    }

    [SkippableFact]
    public async Task StatusSumsExactlyBelowTheBound()
    {
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            var rows = Enumerable.Range(0, 5).Select(h => Rows.Make(h, input: UsageLimits.MaxCount - h, output: 7, requests: 1)).ToList();
            await store.UpsertAsync(rows, CancellationToken.None);

            var summary = await store.SummarizeAsync(CancellationToken.None);

            Assert.Equal(rows.Sum(r => r.InputTokens), summary.InputTokens);
            Assert.Equal(35, summary.OutputTokens);
            Assert.Equal(5, summary.Requests);
        }
    }

    protected static Core.Forecasting.ForecastRun Run(string version, double factor, int horizon = 168) => new(
        ForecastTarget.Tokens,
        version,
        Rows.T0.AddHours(101),
        Rows.T0.AddHours(100),
        horizon,
        [
            new(SeriesKey.Total, "bottom-up", [.. Enumerable.Range(1, horizon).Select(h => new Core.Forecasting.ForecastPoint(Rows.T0.AddHours(100 + h), factor * 10, factor * 20, factor * 30.5))]),
            new(new SeriesKey("tutor", "gpt-4.1"), "fasttree", [.. Enumerable.Range(1, horizon).Select(h => new Core.Forecasting.ForecastPoint(Rows.T0.AddHours(100 + h), 1, 2, 3))]),
        ]);

    protected static async Task<List<HourlyUsage>> ReadAllAsync(IUsageStore store, UsageQuery? query = null)
    {
        var rows = new List<HourlyUsage>();
        await foreach (var row in store.ReadAsync(query ?? UsageQuery.All, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }
}
