using Forecasting.Data.Stores;
using Forecasting.Data.Tests.Support;

namespace Forecasting.Data.Tests.Stores;

public sealed class SqliteUsageStoreTests : UsageStoreContract
{
    protected override int LatestSchemaVersion => SqliteMigrations.All.Max(m => m.Version);

    protected override async Task<long> CountForecastRunsAsync(IUsageStore store)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={((SqliteUsageStore)store).Path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM forecast_runs";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    protected override async Task RewindBeforeHorizonAsync(IUsageStore store)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={((SqliteUsageStore)store).Path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "ALTER TABLE forecast_runs DROP COLUMN horizon; DELETE FROM schema_migrations WHERE version = $v";
        command.Parameters.AddWithValue("$v", LatestSchemaVersion);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task InsertRawAsync(IUsageStore store, string project, string model, long inputTokens)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={((SqliteUsageStore)store).Path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO usage_hourly (project, model, hour, input_tokens, output_tokens, requests, updated_at) VALUES ($p, $m, $h, $i, 0, 0, 0)";
        command.Parameters.AddWithValue("$p", project);
        command.Parameters.AddWithValue("$m", model);
        command.Parameters.AddWithValue("$h", Forecasting.Testing.Rows.T0.ToUnixTimeSeconds());
        command.Parameters.AddWithValue("$i", inputTokens);
        await command.ExecuteNonQueryAsync();
    }

    [Theory]
    [InlineData("Host=localhost;Port=notaport")]
    [InlineData("Host=localhost;Database=x;NoSuchKeyword=1")]
    [InlineData("postgres://u:pw@host:notaport/db")]
    [InlineData("postgresql://[::1")]
    [InlineData("   ")]
    public void ABadDbValueIsAUserErrorThatDoesNotRepeatThePassword(string db)
    {
        var e = Assert.Throws<Forecasting.Core.InvalidInputException>(() => UsageStore.Open(db, setting: "--db"));

        Assert.Contains("--db", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw@", e.Message, StringComparison.Ordinal);
    }

    protected override async Task<(IUsageStore Store, IAsyncDisposable Cleanup)> CreateStoreAsync()
    {
        var folder = new TempFolder();
        var store = await UsageStore.OpenAndMigrateAsync(folder.File("sub/usage.db"), CancellationToken.None);
        return (store, new FolderCleanup(folder));
    }

    [Fact]
    public async Task TwoProcessesMigratingTheSameFileAtOnceBothSucceed()
    {
        using var folder = new TempFolder();
        var path = folder.File("shared.db");
        var stores = Enumerable.Range(0, 4).Select(_ => UsageStore.Open(path)).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync(CancellationToken.None))));

        foreach (var store in stores)
        {
            Assert.Equal(LatestSchemaVersion, await store.GetSchemaVersionAsync(CancellationToken.None));
            await store.DisposeAsync();
        }
    }

    [Fact]
    public void AFilePathOpensSqlite()
    {
        Assert.False(UsageStore.IsPostgres("data/forecasting.db"));
        Assert.True(UsageStore.IsPostgres("Host=localhost;Database=x"));
        Assert.True(UsageStore.IsPostgres("postgres://u:p@localhost:5432/x"));
    }

    private sealed class FolderCleanup(TempFolder folder) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            folder.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
