using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Npgsql;
using NpgsqlTypes;

namespace Forecasting.Data.Stores;

/// <summary>
/// The PostgreSQL store's writes. Bulk writes use binary COPY: straight into the table when the batch's
/// hours hold no rows yet (the common case: new hours), otherwise through a staging table merged
/// with INSERT ... ON CONFLICT, so a re-ingest replaces rows in one transaction. Forecast runs are saved
/// under a key of their own, so a retried save stores a run once.
/// </summary>
internal sealed class PostgresUsageWriter(NpgsqlDataSource dataSource, TransientRetry retry)
{
    private const string UniqueViolation = "23505";

    private const string CopyColumns = UsageRecord.Columns;

    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly TransientRetry _retry = retry;

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

    /// <summary>Stores the run under <paramref name="key"/> unless a run with that key is stored already; true when this call stored it.</summary>
    public Task<bool> SaveForecastAsync(ForecastRun run, string? plan, Guid key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return _retry.ExecuteAsync(ct => SaveForecastOnceAsync(run, plan, key, ct), cancellationToken).AsTask();
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
        await PostgresSql.ExecuteAsync(connection, """
            CREATE TEMP TABLE usage_stage (LIKE usage_hourly INCLUDING DEFAULTS) ON COMMIT DROP
            """, cancellationToken);
        await CopyAsync(connection, "usage_stage", distinct.ToAsyncEnumerable(), cancellationToken);
        await PostgresSql.ExecuteAsync(connection, $"""
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
}
