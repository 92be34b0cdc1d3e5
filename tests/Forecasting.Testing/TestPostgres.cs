using Npgsql;
using Xunit;

namespace Forecasting.Testing;

/// <summary>
/// A fresh database on the throwaway PostgreSQL server that ./test.sh starts (FORECASTING_TEST_PG),
/// dropped on dispose. Without a server the test is skipped with the reason, except under CI=true.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private TestPostgres(string adminConnectionString, string database)
    {
        _adminConnectionString = adminConnectionString;
        Database = database;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database }.ConnectionString;
    }

    public string Database { get; }

    public string ConnectionString { get; }

    public static string? ServerConnectionString => Environment.GetEnvironmentVariable("FORECASTING_TEST_PG") is { Length: > 0 } cs ? cs : null;

    public static void SkipIfUnavailable()
    {
        if (ServerConnectionString is not null)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            throw new InvalidOperationException("CI=true but FORECASTING_TEST_PG is not set: PostgreSQL tests must run in CI (use ./test.sh)");
        }

        Skip.If(true, "no PostgreSQL server: set FORECASTING_TEST_PG or run ./test.sh, which starts one");
    }

    public static async Task<TestPostgres> CreateAsync()
    {
        SkipIfUnavailable();
        var admin = ServerConnectionString!;
        var database = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {database} TEMPLATE template0", connection);
        await command.ExecuteNonQueryAsync();
        return new TestPostgres(admin, database);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
