using System.Runtime.CompilerServices;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;

namespace Forecasting.Data.Stores;

/// <summary>The SQLite store's reads: usage rows, the summary, and the latest forecast run, stamp and plan.</summary>
internal sealed class SqliteUsageReader(SqliteDatabase database)
{
    private readonly SqliteDatabase _database = database;

    public async IAsyncEnumerable<HourlyUsage> ReadAsync(UsageQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await _database.OpenAsync(cancellationToken);
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
        await using var connection = await _database.OpenAsync(cancellationToken);
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

    public async Task<ForecastRun?> LatestForecastAsync(ForecastTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
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
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var latest = connection.CreateCommand();
        latest.CommandText = "SELECT id, model_version, generated_at FROM forecast_runs WHERE target = $t ORDER BY id DESC LIMIT 1";
        latest.Parameters.AddWithValue("$t", ForecastRows.TargetColumn(target));
        return await ForecastRows.ReadLatestStampAsync(latest, (reader, column) => DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(column)), cancellationToken);
    }

    public async Task<string?> LatestPlanAsync(ForecastTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var latest = connection.CreateCommand();
        latest.CommandText = "SELECT plan FROM forecast_runs WHERE target = $t ORDER BY id DESC LIMIT 1";
        latest.Parameters.AddWithValue("$t", ForecastRows.TargetColumn(target));
        return await latest.ExecuteScalarAsync(cancellationToken) as string;
    }
}
