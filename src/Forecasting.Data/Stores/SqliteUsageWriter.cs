using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Microsoft.Data.Sqlite;

namespace Forecasting.Data.Stores;

/// <summary>The SQLite store's writes: usage rows upserted in one transaction, and forecast runs saved with their points and plan.</summary>
internal sealed class SqliteUsageWriter(SqliteDatabase database)
{
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

    private readonly SqliteDatabase _database = database;

    public Task<int> UpsertAsync(IReadOnlyList<HourlyUsage> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Count == 0 ? Task.FromResult(0) : UpsertStreamAsync(rows.ToAsyncEnumerable(), cancellationToken);
    }

    public async Task<int> UpsertStreamAsync(IAsyncEnumerable<HourlyUsage> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var connection = await _database.OpenAsync(cancellationToken);
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

    public async Task SaveForecastAsync(ForecastRun run, string? plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await _database.OpenAsync(cancellationToken);
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
}
