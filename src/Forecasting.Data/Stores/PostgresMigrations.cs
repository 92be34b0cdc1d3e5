using Npgsql;

namespace Forecasting.Data.Stores;

/// <summary>
/// The PostgreSQL store's schema: its versioned steps and their application, once per database even when several
/// processes start at once (an advisory lock), each in a transaction retried whole when the server is briefly gone.
/// </summary>
internal sealed class PostgresMigrations(NpgsqlDataSource dataSource, TransientRetry retry)
{
    internal static readonly Migration[] All =
    [
        new(1, "usage_hourly table", """
            CREATE TABLE usage_hourly (
                project text NOT NULL,
                model text NOT NULL,
                hour timestamptz NOT NULL,
                input_tokens bigint NOT NULL CHECK (input_tokens >= 0),
                output_tokens bigint NOT NULL CHECK (output_tokens >= 0),
                requests bigint NOT NULL CHECK (requests >= 0),
                cached_input_tokens bigint CHECK (cached_input_tokens >= 0),
                cost_usd double precision,
                latency_ms_p50 double precision,
                latency_ms_p95 double precision,
                errors bigint CHECK (errors >= 0),
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (project, model, hour)
            );
            CREATE INDEX ix_usage_hourly_hour ON usage_hourly (hour);
            """),
        new(2, "forecast runs and points", """
            CREATE TABLE forecast_runs (
                id bigserial PRIMARY KEY,
                target text NOT NULL,
                model_version text NOT NULL,
                generated_at timestamptz NOT NULL,
                origin timestamptz NOT NULL);
            CREATE INDEX ix_forecast_runs_target ON forecast_runs (target, id);
            CREATE TABLE forecast_points (
                run_id bigint NOT NULL REFERENCES forecast_runs (id) ON DELETE CASCADE,
                series text NOT NULL,
                hour timestamptz NOT NULL,
                p10 double precision NOT NULL,
                p50 double precision NOT NULL,
                p90 double precision NOT NULL,
                model text NOT NULL,
                PRIMARY KEY (run_id, series, hour));
            """),
        new(3, "forecast run keys (a retried save stores a run once)", """
            ALTER TABLE forecast_runs ADD COLUMN run_key uuid;
            CREATE UNIQUE INDEX ux_forecast_runs_key ON forecast_runs (run_key);
            """),
        new(4, "forecast plans stored with their runs", """
            ALTER TABLE forecast_runs ADD COLUMN plan text;
            """),
        new(5, "forecast runs record their horizon (earlier runs: their hours forecast)", """
            ALTER TABLE forecast_runs ADD COLUMN horizon integer NOT NULL DEFAULT 0;
            UPDATE forecast_runs r SET horizon = (SELECT COUNT(DISTINCT hour) FROM forecast_points p WHERE p.run_id = r.id);
            ALTER TABLE forecast_runs ALTER COLUMN horizon DROP DEFAULT;
            """),
    ];

    // Any constant works; it only has to be the same in every process migrating this database.
    private const long MigrationLockKey = 0x466F7265636173;

    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly TransientRetry _retry = retry;

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(async ct => { await MigrateOnceAsync(ct); return true; }, cancellationToken).AsTask();

    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(
            async ct =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(ct);
                return await ReadVersionAsync(connection, ct);
            },
            cancellationToken).AsTask();

    private async Task MigrateOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresSql.ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken);
        await PostgresSql.ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                description text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, cancellationToken);
        var current = await ReadVersionAsync(connection, cancellationToken);
        foreach (var migration in All.Where(m => m.Version > current).OrderBy(m => m.Version))
        {
            await PostgresSql.ExecuteAsync(connection, migration.Sql, cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, description) VALUES ($1, $2)", connection);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Description });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0
                        ELSE (SELECT COALESCE(MAX(version), 0) FROM schema_migrations) END
            """, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
