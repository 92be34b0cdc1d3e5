using Forecasting.Data.Stores;
using Forecasting.Data.Tests.Support;
using Forecasting.Testing;
using Npgsql;

namespace Forecasting.Data.Tests.Stores;

public sealed class PostgresUsageStoreTests : UsageStoreContract
{
    private readonly Dictionary<IUsageStore, string> _connectionStrings = [];

    protected override int LatestSchemaVersion => PostgresMigrations.All.Max(m => m.Version);

    protected override async Task<long> CountForecastRunsAsync(IUsageStore store)
    {
        await using var connection = new NpgsqlConnection(_connectionStrings[store]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM forecast_runs", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    protected override async Task RewindBeforeHorizonAsync(IUsageStore store)
    {
        await using var connection = new NpgsqlConnection(_connectionStrings[store]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("ALTER TABLE forecast_runs DROP COLUMN horizon; DELETE FROM schema_migrations WHERE version = " + LatestSchemaVersion, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task InsertRawAsync(IUsageStore store, string project, string model, long inputTokens)
    {
        await using var connection = new NpgsqlConnection(_connectionStrings[store]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("INSERT INTO usage_hourly (project, model, hour, input_tokens, output_tokens, requests) VALUES ($1, $2, $3, $4, 0, 0)", connection);
        command.Parameters.AddWithValue(project);
        command.Parameters.AddWithValue(model);
        command.Parameters.AddWithValue(Rows.T0);
        command.Parameters.AddWithValue(inputTokens);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<(IUsageStore Store, IAsyncDisposable Cleanup)> CreateStoreAsync()
    {
        var database = await TestPostgres.CreateAsync();
        var store = await UsageStore.OpenAndMigrateAsync(database.ConnectionString, CancellationToken.None);
        _connectionStrings[store] = database.ConnectionString;
        return (store, database);
    }

    [SkippableFact]
    public async Task ASaveRetriedAfterItsCommitWentThroughStoresTheRunOnce()
    {
        // What a retry after a lost commit acknowledgement does: the same save (same key) again.
        var (store, cleanup) = await CreateStoreAsync();
        await using (cleanup)
        await using (store)
        {
            var postgres = (PostgresUsageStore)store;
            var key = Guid.NewGuid();

            Assert.True(await postgres.SaveForecastAsync(Run("v0001", 1), null, key, CancellationToken.None));
            Assert.False(await postgres.SaveForecastAsync(Run("v0001", 1), null, key, CancellationToken.None));
            Assert.True(await postgres.SaveForecastAsync(Run("v0001", 1), null, Guid.NewGuid(), CancellationToken.None));

            Assert.Equal(2, await CountForecastRunsAsync(store));
            await using var connection = new NpgsqlConnection(_connectionStrings[store]);
            await connection.OpenAsync();
            await using var points = new NpgsqlCommand("SELECT COUNT(*) FROM forecast_points", connection);
            Assert.Equal(2 * 2 * 168L, (long)(await points.ExecuteScalarAsync())!);
        }
    }

    [SkippableFact]
    public async Task ConcurrentMigrationsApplyEachStepOnce()
    {
        await using var database = await TestPostgres.CreateAsync();
        var stores = Enumerable.Range(0, 4).Select(_ => UsageStore.Open(database.ConnectionString)).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync(CancellationToken.None))));

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM schema_migrations", connection);
        Assert.Equal(PostgresMigrations.All.Length, Convert.ToInt32(await count.ExecuteScalarAsync()));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public void AUriConnectionStringIsUnderstoodAndItsPasswordKeptOutOfTheDescription()
    {
        var normalized = PostgresUsageStore.NormalizeConnectionString("postgres://fc:s3cr%40t@db.internal:6543/usage");
        var builder = new NpgsqlConnectionStringBuilder(normalized);

        Assert.Equal(("db.internal", 6543, "usage", "fc", "s3cr@t"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
        Assert.DoesNotContain("s3cr", new PostgresUsageStore(normalized).Description, StringComparison.Ordinal);
    }
}
