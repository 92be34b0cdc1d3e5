using System.Runtime.CompilerServices;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Forecasting.Data.Stores;

/// <summary>
/// The production store. Bulk writes use binary COPY: straight into the table when the batch's
/// hours hold no rows yet (the common case: new hours), otherwise through a staging table merged
/// with INSERT ... ON CONFLICT, so a re-ingest replaces rows in one transaction.
/// </summary>
public sealed class PostgresUsageStore : IUsageStore
{
    internal static readonly Migration[] Migrations =
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
    private const string UniqueViolation = "23505";

    private const string CopyColumns = UsageRecord.Columns;

    // A read resumes after this many lost connections at most; each resume has the full retry budget to reconnect.
    private const int MaxReadResumes = 5;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TransientRetry _retry;

    public PostgresUsageStore(string connectionString, ILogger? logger = null, TransientRetryOptions? retry = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(builder);
        _retry = new TransientRetry(_dataSource, logger, retry);
    }

    public string Description { get; }

    /// <summary>Accepts <c>postgres://user:password@host:port/db</c> as well as keyword connection strings.</summary>
    public static string NormalizeConnectionString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        var uri = new Uri(value);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length > 1)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        return builder.ConnectionString;
    }

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

    /// <summary>In one transaction: a retry after a lost connection starts over, and a commit that happened finds nothing left to do.</summary>
    public Task<int> UpsertAsync(IReadOnlyList<HourlyUsage> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var distinct = LastWins(rows);
        return distinct.Count == 0 ? Task.FromResult(0) : _retry.ExecuteAsync(ct => UpsertOnceAsync(distinct, ct), cancellationToken).AsTask();
    }

    public async Task<int> UpsertStreamAsync(IAsyncEnumerable<HourlyUsage> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var enumerator = rows.GetAsyncEnumerator(cancellationToken);
        if (!await enumerator.MoveNextAsync())
        {
            return 0;
        }

        var first = enumerator.Current;
        UsageRowValidator.EnsureValid(first);
        // The stream cannot be replayed, so only the start (open, probe) is retried; a connection lost
        // later fails the call with nothing stored, since everything is written in one transaction.
        var (connection, exists) = await _retry.ExecuteAsync(
            async ct =>
            {
                var opened = await _dataSource.OpenConnectionAsync(ct);
                try
                {
                    return (opened, await KeyExistsAsync(opened, first, ct));
                }
                catch
                {
                    await opened.DisposeAsync();
                    throw;
                }
            },
            cancellationToken);
        await using var owned = connection;
        // The rows are kept: if the optimistic direct COPY meets an existing key, they are merged instead.
        var seen = new List<HourlyUsage> { first };
        if (!exists
            && await TryCopyDirectAsync(connection, Remaining(first, enumerator, seen), seen, cancellationToken))
        {
            return seen.Count;
        }

        while (await enumerator.MoveNextAsync())
        {
            seen.Add(enumerator.Current);
        }

        var distinct = LastWins(seen);
        await MergeAsync(connection, distinct, cancellationToken);
        return distinct.Count;
    }

    /// <summary>
    /// Rows come in key order, so a connection lost in the middle of them (a restart) resumes after
    /// the last row returned instead of failing the read: no row is skipped or returned twice.
    /// </summary>
    public async IAsyncEnumerable<HourlyUsage> ReadAsync(UsageQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        HourlyUsage? last = null;
        var resumes = 0;
        var count = 0L;
        var done = false;
        while (!done)
        {
            var (connection, command, reader) = await _retry.ExecuteAsync(ct => StartReadAsync(query, last, ct), cancellationToken);
            await using var ownedConnection = connection;
            await using var ownedCommand = command;
            await using var ownedReader = reader;
            while (true)
            {
                HourlyUsage? row = null;
                try
                {
                    if (await reader.ReadAsync(cancellationToken))
                    {
                        row = UsageRecord.Read(reader, reader.GetFieldValue<DateTimeOffset>(2));
                    }
                }
                catch (Exception e) when (TransientRetry.IsTransient(e) && ++resumes <= MaxReadResumes)
                {
                    _dataSource.Clear();
                    _retry.ReadResumed(count, e);
                    break;
                }

                if (row is null)
                {
                    done = true;
                    break;
                }

                last = row;
                count++;
                yield return row;
            }
        }
    }

    public Task<UsageSummary> SummarizeAsync(CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(SummarizeOnceAsync, cancellationToken).AsTask();

    /// <summary>
    /// Each save has a key of its own: a retry after a commit whose acknowledgement was lost (the
    /// connection dropped at that moment) finds the run stored and stores it no second time.
    /// </summary>
    public Task SaveForecastAsync(ForecastRun run, string? plan, CancellationToken cancellationToken) => SaveForecastAsync(run, plan, Guid.NewGuid(), cancellationToken);

    /// <summary>Stores the run under <paramref name="key"/> unless a run with that key is stored already; true when this call stored it.</summary>
    internal Task<bool> SaveForecastAsync(ForecastRun run, string? plan, Guid key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return _retry.ExecuteAsync(ct => SaveForecastOnceAsync(run, plan, key, ct), cancellationToken).AsTask();
    }

    public Task<ForecastRun?> LatestForecastAsync(ForecastTarget target, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(ct => LatestForecastOnceAsync(target, ct), cancellationToken).AsTask();

    public Task<ForecastRunStamp?> LatestForecastStampAsync(ForecastTarget target, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(ct => LatestForecastStampOnceAsync(target, ct), cancellationToken).AsTask();

    public Task<string?> LatestPlanAsync(ForecastTarget target, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(ct => LatestPlanOnceAsync(target, ct), cancellationToken).AsTask();

    private async ValueTask<string?> LatestPlanOnceAsync(ForecastTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var latest = new NpgsqlCommand("SELECT plan FROM forecast_runs WHERE target = $1 ORDER BY id DESC LIMIT 1", connection);
        latest.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ForecastRows.TargetColumn(target) });
        return await latest.ExecuteScalarAsync(cancellationToken) as string;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async ValueTask<(NpgsqlConnection, NpgsqlCommand, NpgsqlDataReader)> StartReadAsync(UsageQuery query, HourlyUsage? after, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        NpgsqlCommand? command = null;
        try
        {
            command = new NpgsqlCommand($"""
                SELECT {UsageRecord.Columns}
                FROM usage_hourly
                WHERE ($1::timestamptz IS NULL OR hour >= $1) AND ($2::timestamptz IS NULL OR hour < $2)
                  AND ($3::text IS NULL OR project = $3) AND ($4::text IS NULL OR model = $4)
                  AND ($5::timestamptz IS NULL OR (hour, project, model) > ($5, $6, $7))
                ORDER BY hour, project, model
                """, connection);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)query.From?.ToUniversalTime() ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)query.To?.ToUniversalTime() ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)query.Project ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)query.Model ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)after?.Hour.ToUniversalTime() ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)after?.Project ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)after?.Model ?? DBNull.Value });
            return (connection, command, await command.ExecuteReaderAsync(cancellationToken));
        }
        catch
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }

            await connection.DisposeAsync();
            throw;
        }
    }

    // SUM(bigint) is numeric; saturating keeps status working on rows stored before the count bound (UsageLimits).
    private async ValueTask<UsageSummary> SummarizeOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT COUNT(*), MIN(hour), MAX(hour), COUNT(DISTINCT model), COUNT(DISTINCT project),
                   LEAST(COALESCE(SUM(input_tokens), 0), 9223372036854775807)::bigint,
                   LEAST(COALESCE(SUM(output_tokens), 0), 9223372036854775807)::bigint,
                   LEAST(COALESCE(SUM(requests), 0), 9223372036854775807)::bigint, SUM(cost_usd)
            FROM usage_hourly
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new UsageSummary(
            reader.GetInt64(0),
            reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
            (int)reader.GetInt64(3),
            (int)reader.GetInt64(4),
            reader.GetInt64(5),
            reader.GetInt64(6),
            reader.GetInt64(7),
            reader.IsDBNull(8) ? null : reader.GetDouble(8));
    }

    private async ValueTask<bool> SaveForecastOnceAsync(ForecastRun run, string? plan, Guid key, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var insertRun = new NpgsqlCommand("""
            INSERT INTO forecast_runs (target, model_version, generated_at, origin, run_key, plan, horizon) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (run_key) DO NOTHING RETURNING id
            """, connection);
        insertRun.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ForecastRows.TargetColumn(run.Target) });
        insertRun.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.ModelVersion });
        insertRun.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = run.GeneratedAt.ToUniversalTime() });
        insertRun.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = run.Origin.ToUniversalTime() });
        insertRun.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = key });
        insertRun.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)plan ?? DBNull.Value });
        insertRun.Parameters.Add(new NpgsqlParameter<int> { TypedValue = run.Horizon });
        if (await insertRun.ExecuteScalarAsync(cancellationToken) is not long id)
        {
            // Stored by an earlier attempt whose commit went through.
            return false;
        }

        await using (var writer = await connection.BeginBinaryImportAsync("COPY forecast_points (run_id, series, hour, p10, p50, p90, model) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var s in run.Series)
            {
                foreach (var point in s.Points)
                {
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(id, NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync(s.Series, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(point.Hour.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
                    await writer.WriteAsync(point.P10, NpgsqlDbType.Double, cancellationToken);
                    await writer.WriteAsync(point.P50, NpgsqlDbType.Double, cancellationToken);
                    await writer.WriteAsync(point.P90, NpgsqlDbType.Double, cancellationToken);
                    await writer.WriteAsync(s.Model, NpgsqlDbType.Text, cancellationToken);
                }
            }

            await writer.CompleteAsync(cancellationToken);
        }

        await using var prune = new NpgsqlCommand("""
            DELETE FROM forecast_runs WHERE target = $1 AND id NOT IN
                (SELECT id FROM forecast_runs WHERE target = $1 ORDER BY id DESC LIMIT $2)
            """, connection);
        prune.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ForecastRows.TargetColumn(run.Target) });
        prune.Parameters.Add(new NpgsqlParameter<int> { TypedValue = IUsageStore.ForecastRetention });
        await prune.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async ValueTask<ForecastRun?> LatestForecastOnceAsync(ForecastTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var latest = new NpgsqlCommand("SELECT id, model_version, generated_at, origin, horizon FROM forecast_runs WHERE target = $1 ORDER BY id DESC LIMIT 1", connection);
        latest.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ForecastRows.TargetColumn(target) });
        return await ForecastRows.ReadLatestAsync(
            target,
            latest,
            id =>
            {
                var points = new NpgsqlCommand("SELECT series, model, hour, p10, p50, p90 FROM forecast_points WHERE run_id = $1 ORDER BY series, hour", connection);
                points.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
                return points;
            },
            (reader, column) => reader.GetFieldValue<DateTimeOffset>(column),
            cancellationToken);
    }

    private async ValueTask<ForecastRunStamp?> LatestForecastStampOnceAsync(ForecastTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var latest = new NpgsqlCommand("SELECT id, model_version, generated_at FROM forecast_runs WHERE target = $1 ORDER BY id DESC LIMIT 1", connection);
        latest.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ForecastRows.TargetColumn(target) });
        return await ForecastRows.ReadLatestStampAsync(latest, (reader, column) => reader.GetFieldValue<DateTimeOffset>(column), cancellationToken);
    }

    private async Task MigrateOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                description text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, cancellationToken);
        var current = await ReadVersionAsync(connection, cancellationToken);
        foreach (var migration in Migrations.Where(m => m.Version > current).OrderBy(m => m.Version))
        {
            await ExecuteAsync(connection, migration.Sql, cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, description) VALUES ($1, $2)", connection);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Description });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async ValueTask<int> UpsertOnceAsync(List<HourlyUsage> distinct, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var direct = !await AnyRowsBetweenAsync(connection, distinct.Min(r => r.Hour), distinct.Max(r => r.Hour), cancellationToken);
        if (direct && await TryCopyDirectAsync(connection, distinct.ToAsyncEnumerable(), null, cancellationToken))
        {
            return distinct.Count;
        }

        await MergeAsync(connection, distinct, cancellationToken);
        return distinct.Count;
    }

    /// <summary>
    /// Binary COPY straight into the table in one transaction. False when a key already exists
    /// (or repeats within the rows): the transaction is rolled back and the caller merges instead.
    /// </summary>
    private static async Task<bool> TryCopyDirectAsync(NpgsqlConnection connection, IAsyncEnumerable<HourlyUsage> rows, List<HourlyUsage>? seen, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await CopyAsync(connection, "usage_hourly", rows, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
    }

    /// <summary>Copies into a staging table and merges with INSERT ... ON CONFLICT DO UPDATE, in one transaction.</summary>
    private static async Task MergeAsync(NpgsqlConnection connection, List<HourlyUsage> distinct, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TEMP TABLE usage_stage (LIKE usage_hourly INCLUDING DEFAULTS) ON COMMIT DROP
            """, cancellationToken);
        await CopyAsync(connection, "usage_stage", distinct.ToAsyncEnumerable(), cancellationToken);
        await ExecuteAsync(connection, $"""
            INSERT INTO usage_hourly ({CopyColumns}, updated_at)
            SELECT {CopyColumns}, now() FROM usage_stage
            ON CONFLICT (project, model, hour) DO UPDATE SET
                input_tokens = EXCLUDED.input_tokens,
                output_tokens = EXCLUDED.output_tokens,
                requests = EXCLUDED.requests,
                cached_input_tokens = EXCLUDED.cached_input_tokens,
                cost_usd = EXCLUDED.cost_usd,
                latency_ms_p50 = EXCLUDED.latency_ms_p50,
                latency_ms_p95 = EXCLUDED.latency_ms_p95,
                errors = EXCLUDED.errors,
                updated_at = EXCLUDED.updated_at
            -- An unchanged row is left alone: re-ingesting a file writes nothing, and updated_at is the last change.
            WHERE (usage_hourly.input_tokens, usage_hourly.output_tokens, usage_hourly.requests, usage_hourly.cached_input_tokens,
                   usage_hourly.cost_usd, usage_hourly.latency_ms_p50, usage_hourly.latency_ms_p95, usage_hourly.errors)
                IS DISTINCT FROM (EXCLUDED.input_tokens, EXCLUDED.output_tokens, EXCLUDED.requests, EXCLUDED.cached_input_tokens,
                   EXCLUDED.cost_usd, EXCLUDED.latency_ms_p50, EXCLUDED.latency_ms_p95, EXCLUDED.errors)
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async IAsyncEnumerable<HourlyUsage> Remaining(HourlyUsage first, IAsyncEnumerator<HourlyUsage> rest, List<HourlyUsage> seen)
    {
        yield return first;
        while (await rest.MoveNextAsync())
        {
            UsageRowValidator.EnsureValid(rest.Current);
            seen.Add(rest.Current);
            yield return rest.Current;
        }
    }

    private static async Task<bool> KeyExistsAsync(NpgsqlConnection connection, HourlyUsage row, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM usage_hourly WHERE project = $1 AND model = $2 AND hour = $3)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Project });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Model });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = row.Hour });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    internal static List<HourlyUsage> LastWins(IReadOnlyList<HourlyUsage> rows)
    {
        var index = new Dictionary<UsageKey, int>(rows.Count);
        var result = new List<HourlyUsage>(rows.Count);
        foreach (var row in rows)
        {
            UsageRowValidator.EnsureValid(row);
            if (index.TryGetValue(row.Key, out var at))
            {
                result[at] = row;
            }
            else
            {
                index[row.Key] = result.Count;
                result.Add(row);
            }
        }

        return result;
    }

    private static async Task<bool> AnyRowsBetweenAsync(NpgsqlConnection connection, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM usage_hourly WHERE hour BETWEEN $1 AND $2)", connection);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = from });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = to });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string table, IAsyncEnumerable<HourlyUsage> rows, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {table} ({CopyColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(row.Project, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(row.Model, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(row.Hour, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(row.InputTokens, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(row.OutputTokens, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(row.Requests, NpgsqlDbType.Bigint, cancellationToken);
            await WriteNullableAsync(writer, row.CachedInputTokens, NpgsqlDbType.Bigint, cancellationToken);
            await WriteNullableAsync(writer, row.CostUsd, NpgsqlDbType.Double, cancellationToken);
            await WriteNullableAsync(writer, row.LatencyMsP50, NpgsqlDbType.Double, cancellationToken);
            await WriteNullableAsync(writer, row.LatencyMsP95, NpgsqlDbType.Double, cancellationToken);
            await WriteNullableAsync(writer, row.Errors, NpgsqlDbType.Bigint, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct
    {
        if (value is { } v)
        {
            await writer.WriteAsync(v, type, cancellationToken);
        }
        else
        {
            await writer.WriteNullAsync(cancellationToken);
        }
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0
                        ELSE (SELECT COALESCE(MAX(version), 0) FROM schema_migrations) END
            """, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
