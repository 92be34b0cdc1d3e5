using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Forecasting.Data.Stores;

/// <summary>
/// The SQLite store's schema: its versioned steps and their application, in one immediate transaction (the write
/// lock first, so two processes cannot apply the same step).
/// </summary>
internal sealed class SqliteMigrations(SqliteDatabase database)
{
    internal static readonly Migration[] All =
    [
        new(1, "usage_hourly table", """
            CREATE TABLE usage_hourly (
                project TEXT NOT NULL,
                model TEXT NOT NULL,
                hour INTEGER NOT NULL,
                input_tokens INTEGER NOT NULL CHECK (input_tokens >= 0),
                output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
                requests INTEGER NOT NULL CHECK (requests >= 0),
                cached_input_tokens INTEGER CHECK (cached_input_tokens >= 0),
                cost_usd REAL,
                latency_ms_p50 REAL,
                latency_ms_p95 REAL,
                errors INTEGER CHECK (errors >= 0),
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (project, model, hour)
            ) WITHOUT ROWID;
            CREATE INDEX ix_usage_hourly_hour ON usage_hourly (hour);
            """),
        new(2, "forecast runs and points", """
            CREATE TABLE forecast_runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                target TEXT NOT NULL,
                model_version TEXT NOT NULL,
                generated_at INTEGER NOT NULL,
                origin INTEGER NOT NULL);
            CREATE INDEX ix_forecast_runs_target ON forecast_runs (target, id);
            CREATE TABLE forecast_points (
                run_id INTEGER NOT NULL REFERENCES forecast_runs (id) ON DELETE CASCADE,
                series TEXT NOT NULL,
                hour INTEGER NOT NULL,
                p10 REAL NOT NULL,
                p50 REAL NOT NULL,
                p90 REAL NOT NULL,
                model TEXT NOT NULL,
                PRIMARY KEY (run_id, series, hour)) WITHOUT ROWID;
            """),
        new(3, "forecast plans stored with their runs", """
            ALTER TABLE forecast_runs ADD COLUMN plan TEXT;
            """),
        new(4, "forecast runs record their horizon (earlier runs: their hours forecast)", """
            ALTER TABLE forecast_runs ADD COLUMN horizon INTEGER NOT NULL DEFAULT 0;
            UPDATE forecast_runs SET horizon = (SELECT COUNT(DISTINCT hour) FROM forecast_points WHERE run_id = forecast_runs.id);
            """),
    ];

    private readonly SqliteDatabase _database = database;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var folder = System.IO.Path.GetDirectoryName(_database.Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        await SqliteDatabase.ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken);
        // BEGIN IMMEDIATE takes the write lock first, so two processes cannot apply the same step.
        await using var transaction = connection.BeginTransaction(deferred: false);
        await SqliteDatabase.ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                description TEXT NOT NULL,
                applied_at TEXT NOT NULL)
            """, cancellationToken);
        var current = await ReadVersionAsync(connection, transaction, cancellationToken);
        foreach (var migration in All.Where(m => m.Version > current).OrderBy(m => m.Version))
        {
            await SqliteDatabase.ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, description, applied_at) VALUES ($v, $d, $t)";
            record.Parameters.AddWithValue("$v", migration.Version);
            record.Parameters.AddWithValue("$d", migration.Description);
            record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await ReadVersionAsync(connection, null, cancellationToken);
    }

    private static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            return 0;
        }

        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
