using System.Globalization;
using System.Runtime.CompilerServices;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Microsoft.Data.Sqlite;

namespace Forecasting.Data.Stores;

/// <summary>
/// The embedded default store: one SQLite file, WAL journal. Hours are stored as Unix seconds (UTC),
/// which keeps the primary key compact and ordered.
/// </summary>
public sealed class SqliteUsageStore : IUsageStore
{
    internal static readonly Migration[] Migrations =
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

    private const string UpsertSql = """
        INSERT INTO usage_hourly (project, model, hour, input_tokens, output_tokens, requests,
            cached_input_tokens, cost_usd, latency_ms_p50, latency_ms_p95, errors, updated_at)
        VALUES ($project, $model, $hour, $input, $output, $requests, $cached, $cost, $p50, $p95, $errors, $updated)
        ON CONFLICT (project, model, hour) DO UPDATE SET
            input_tokens = excluded.input_tokens,
            output_tokens = excluded.output_tokens,
            requests = excluded.requests,
            cached_input_tokens = excluded.cached_input_tokens,
            cost_usd = excluded.cost_usd,
            latency_ms_p50 = excluded.latency_ms_p50,
            latency_ms_p95 = excluded.latency_ms_p95,
            errors = excluded.errors,
            updated_at = excluded.updated_at
        -- An unchanged row is left alone: re-ingesting a file writes nothing, and updated_at is the last change.
        WHERE input_tokens IS NOT excluded.input_tokens OR output_tokens IS NOT excluded.output_tokens
           OR requests IS NOT excluded.requests OR cached_input_tokens IS NOT excluded.cached_input_tokens
           OR cost_usd IS NOT excluded.cost_usd OR latency_ms_p50 IS NOT excluded.latency_ms_p50
           OR latency_ms_p95 IS NOT excluded.latency_ms_p95 OR errors IS NOT excluded.errors
        """;

    private readonly string _connectionString;

    public SqliteUsageStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
    }

    public string Path { get; }

    public string Description => $"SQLite {Path}";

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken);
        // BEGIN IMMEDIATE takes the write lock first, so two processes cannot apply the same step.
        await using var transaction = connection.BeginTransaction(deferred: false);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                description TEXT NOT NULL,
                applied_at TEXT NOT NULL)
            """, cancellationToken);
        var current = await ReadVersionAsync(connection, transaction, cancellationToken);
        foreach (var migration in Migrations.Where(m => m.Version > current).OrderBy(m => m.Version))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
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
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadVersionAsync(connection, null, cancellationToken);
    }

    public Task<int> UpsertAsync(IReadOnlyList<HourlyUsage> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Count == 0 ? Task.FromResult(0) : UpsertStreamAsync(rows.ToAsyncEnumerable(), cancellationToken);
    }

    public async Task<int> UpsertStreamAsync(IAsyncEnumerable<HourlyUsage> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = UpsertSql;
        var project = command.Parameters.Add("$project", SqliteType.Text);
        var model = command.Parameters.Add("$model", SqliteType.Text);
        var hour = command.Parameters.Add("$hour", SqliteType.Integer);
        var input = command.Parameters.Add("$input", SqliteType.Integer);
        var output = command.Parameters.Add("$output", SqliteType.Integer);
        var requests = command.Parameters.Add("$requests", SqliteType.Integer);
        var cached = command.Parameters.Add("$cached", SqliteType.Integer);
        var cost = command.Parameters.Add("$cost", SqliteType.Real);
        var p50 = command.Parameters.Add("$p50", SqliteType.Real);
        var p95 = command.Parameters.Add("$p95", SqliteType.Real);
        var errors = command.Parameters.Add("$errors", SqliteType.Integer);
        var updated = command.Parameters.Add("$updated", SqliteType.Integer);
        updated.Value = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        command.Prepare();

        var keys = new HashSet<UsageKey>();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            UsageRowValidator.EnsureValid(row);
            keys.Add(row.Key);
            project.Value = row.Project;
            model.Value = row.Model;
            hour.Value = row.Hour.ToUnixTimeSeconds();
            input.Value = row.InputTokens;
            output.Value = row.OutputTokens;
            requests.Value = row.Requests;
            cached.Value = (object?)row.CachedInputTokens ?? DBNull.Value;
            cost.Value = (object?)row.CostUsd ?? DBNull.Value;
            p50.Value = (object?)row.LatencyMsP50 ?? DBNull.Value;
            p95.Value = (object?)row.LatencyMsP95 ?? DBNull.Value;
            errors.Value = (object?)row.Errors ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return keys.Count;
    }

    public async IAsyncEnumerable<HourlyUsage> ReadAsync(UsageQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {UsageRecord.Columns}
            FROM usage_hourly
            WHERE ($from IS NULL OR hour >= $from) AND ($to IS NULL OR hour < $to)
              AND ($project IS NULL OR project = $project) AND ($model IS NULL OR model = $model)
            ORDER BY hour, project, model
            """;
        command.Parameters.AddWithValue("$from", (object?)query.From?.ToUnixTimeSeconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$to", (object?)query.To?.ToUnixTimeSeconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$project", (object?)query.Project ?? DBNull.Value);
        command.Parameters.AddWithValue("$model", (object?)query.Model ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return UsageRecord.Read(reader, DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(2)));
        }
    }

    public async Task<UsageSummary> SummarizeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT COUNT(*), MIN(hour), MAX(hour), COUNT(DISTINCT model), COUNT(DISTINCT project),
                   TOTAL(input_tokens), TOTAL(output_tokens), TOTAL(requests), SUM(cost_usd)
            FROM usage_hourly
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new UsageSummary(
            reader.GetInt64(0),
            reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(1)),
            reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(2)),
            reader.GetInt32(3),
            reader.GetInt32(4),
            Saturate(reader.GetDouble(5)),
            Saturate(reader.GetDouble(6)),
            Saturate(reader.GetDouble(7)),
            reader.IsDBNull(8) ? null : reader.GetDouble(8));
    }

    // TOTAL is a float sum: it cannot fail with "integer overflow" on rows stored before the count bound
    // (UsageLimits), and it is exact below 2^53; beyond 64 bits the summary says long.MaxValue.
    private static long Saturate(double total) => total >= 9.2233720368547758e18 ? long.MaxValue : (long)total;

    public async Task SaveForecastAsync(ForecastRun run, string? plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var insertRun = connection.CreateCommand();
        insertRun.Transaction = transaction;
        insertRun.CommandText = "INSERT INTO forecast_runs (target, model_version, generated_at, origin, horizon, plan) VALUES ($t, $v, $g, $o, $h, $p) RETURNING id";
        insertRun.Parameters.AddWithValue("$t", ForecastRows.TargetColumn(run.Target));
        insertRun.Parameters.AddWithValue("$v", run.ModelVersion);
        insertRun.Parameters.AddWithValue("$g", run.GeneratedAt.ToUnixTimeSeconds());
        insertRun.Parameters.AddWithValue("$o", run.Origin.ToUnixTimeSeconds());
        insertRun.Parameters.AddWithValue("$h", run.Horizon);
        insertRun.Parameters.AddWithValue("$p", (object?)plan ?? DBNull.Value);
        var id = (long)(await insertRun.ExecuteScalarAsync(cancellationToken))!;

        await using var insertPoint = connection.CreateCommand();
        insertPoint.Transaction = transaction;
        insertPoint.CommandText = "INSERT INTO forecast_points (run_id, series, hour, p10, p50, p90, model) VALUES ($r, $s, $h, $p10, $p50, $p90, $m)";
        var r = insertPoint.Parameters.Add("$r", SqliteType.Integer);
        var series = insertPoint.Parameters.Add("$s", SqliteType.Text);
        var hour = insertPoint.Parameters.Add("$h", SqliteType.Integer);
        var p10 = insertPoint.Parameters.Add("$p10", SqliteType.Real);
        var p50 = insertPoint.Parameters.Add("$p50", SqliteType.Real);
        var p90 = insertPoint.Parameters.Add("$p90", SqliteType.Real);
        var model = insertPoint.Parameters.Add("$m", SqliteType.Text);
        r.Value = id;
        foreach (var s in run.Series)
        {
            series.Value = s.Series;
            model.Value = s.Model;
            foreach (var point in s.Points)
            {
                hour.Value = point.Hour.ToUnixTimeSeconds();
                p10.Value = point.P10;
                p50.Value = point.P50;
                p90.Value = point.P90;
                await insertPoint.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using var prune = connection.CreateCommand();
        prune.Transaction = transaction;
        prune.CommandText = """
            DELETE FROM forecast_runs WHERE target = $t AND id NOT IN
                (SELECT id FROM forecast_runs WHERE target = $t ORDER BY id DESC LIMIT $keep)
            """;
        prune.Parameters.AddWithValue("$t", ForecastRows.TargetColumn(run.Target));
        prune.Parameters.AddWithValue("$keep", IUsageStore.ForecastRetention);
        await prune.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ForecastRun?> LatestForecastAsync(ForecastTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var latest = connection.CreateCommand();
        latest.CommandText = "SELECT id, model_version, generated_at, origin, horizon FROM forecast_runs WHERE target = $t ORDER BY id DESC LIMIT 1";
        latest.Parameters.AddWithValue("$t", ForecastRows.TargetColumn(target));
        return await ForecastRows.ReadLatestAsync(
            target,
            latest,
            id =>
            {
                var points = connection.CreateCommand();
                points.CommandText = "SELECT series, model, hour, p10, p50, p90 FROM forecast_points WHERE run_id = $r ORDER BY series, hour";
                points.Parameters.AddWithValue("$r", id);
                return points;
            },
            (reader, column) => DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(column)),
            cancellationToken);
    }

    public async Task<ForecastRunStamp?> LatestForecastStampAsync(ForecastTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var latest = connection.CreateCommand();
        latest.CommandText = "SELECT id, model_version, generated_at FROM forecast_runs WHERE target = $t ORDER BY id DESC LIMIT 1";
        latest.Parameters.AddWithValue("$t", ForecastRows.TargetColumn(target));
        return await ForecastRows.ReadLatestStampAsync(latest, (reader, column) => DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(column)), cancellationToken);
    }

    public async Task<string?> LatestPlanAsync(ForecastTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var latest = connection.CreateCommand();
        latest.CommandText = "SELECT plan FROM forecast_runs WHERE target = $t ORDER BY id DESC LIMIT 1";
        latest.Parameters.AddWithValue("$t", ForecastRows.TargetColumn(target));
        return await latest.ExecuteScalarAsync(cancellationToken) as string;
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open (and, on some systems, locked) after the store is gone.
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", cancellationToken);
        return connection;
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

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
