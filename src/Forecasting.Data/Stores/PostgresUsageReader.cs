using System.Runtime.CompilerServices;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Npgsql;
using NpgsqlTypes;

namespace Forecasting.Data.Stores;

/// <summary>The PostgreSQL store's reads: usage rows (resumed after a lost connection), the summary, and the latest forecast run, stamp and plan.</summary>
internal sealed class PostgresUsageReader(NpgsqlDataSource dataSource, TransientRetry retry)
{
    // A read resumes after this many lost connections at most; each resume has the full retry budget to reconnect.
    private const int MaxReadResumes = 5;

    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly TransientRetry _retry = retry;

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
}
