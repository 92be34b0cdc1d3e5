using System.Diagnostics;
using Forecasting.Core.Usage;
using Forecasting.Data.Export;
using Forecasting.Data.Ingest;
using Forecasting.Data.Samples;
using Forecasting.Data.Stores;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Forecasting.Benchmarks;

/// <summary>
/// Ingest of N usage rows (a CSV from the sample generator) against the raw bulk load of the same
/// rows on the same engine, both into an empty usage table with the same schema and key:
/// PostgreSQL binary COPY, SQLite prepared INSERTs in one transaction. Best of three runs each.
/// </summary>
internal static class IngestBenchmark
{
    private const int Runs = 3;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var rowsWanted = args.GetInt("rows", 1_000_000);
        var folder = Directory.CreateTempSubdirectory("forecasting-bench-");
        try
        {
            var csv = Path.Combine(folder.FullName, "usage.csv");
            var weeks = 16;
            var perTenantWeek = 8.0 / 4 * 168; // about two models per project, 168 hours a week
            var tenants = Math.Max(0, (int)Math.Ceiling(rowsWanted / (perTenantWeek * weeks)) - 4);
            var generated = SampleUsageGenerator.Generate(new SampleUsageOptions { Weeks = weeks, ExtraTenants = tenants }).Take(rowsWanted);
            var written = await UsageCsvWriter.WriteAsync(generated.ToAsyncEnumerable(), csv, CancellationToken.None);
            var rows = UsageCsvParser.Parse(csv).Rows;
            Console.WriteLine($"ingest benchmark: {written:N0} rows, CSV {new FileInfo(csv).Length / 1e6:N0} MB, {Environment.ProcessorCount} cores");

            var parse = Best(() => { _ = UsageCsvParser.Parse(csv); return Task.CompletedTask; });
            Console.WriteLine($"  CSV parse + validate alone      {await parse:N2} s  ({written / await parse:N0} rows/s)");

            var pg = args.Get("pg") ?? Environment.GetEnvironmentVariable("FORECASTING_TEST_PG");
            if (!args.Has("sqlite-only") && pg is not null)
            {
                await using var store = new PostgresUsageStore(pg);
                await store.MigrateAsync(CancellationToken.None);
                var raw = await Best(() => RawCopyAsync(pg, rows), () => TruncateAsync(pg));
                var upsert = await Best(() => store.UpsertAsync(rows, CancellationToken.None), () => TruncateAsync(pg));
                var ingest = await Best(() => new UsageIngestor(store).IngestAsync(csv, false, CancellationToken.None), () => TruncateAsync(pg));
                var reingest = await Best(() => store.UpsertAsync(rows, CancellationToken.None));
                var changed = await Best(Changing(store, rows));
                Report("PostgreSQL", written, raw, upsert, ingest, reingest, changed, "raw binary COPY");
            }
            else
            {
                Console.WriteLine("  PostgreSQL: skipped (no --pg and no FORECASTING_TEST_PG)");
            }

            var dbPath = Path.Combine(folder.FullName, "bench.db");
            {
                var store = new SqliteUsageStore(dbPath);
                await store.MigrateAsync(CancellationToken.None);
                var raw = await Best(() => RawSqliteInsertAsync(dbPath, rows), () => ClearSqliteAsync(dbPath));
                var upsert = await Best(() => store.UpsertAsync(rows, CancellationToken.None), () => ClearSqliteAsync(dbPath));
                var ingest = await Best(() => new UsageIngestor(store).IngestAsync(csv, false, CancellationToken.None), () => ClearSqliteAsync(dbPath));
                var reingest = await Best(() => store.UpsertAsync(rows, CancellationToken.None));
                var changed = await Best(Changing(store, rows));
                Report("SQLite", written, raw, upsert, ingest, reingest, changed, "raw prepared INSERT, one transaction");
                await store.DisposeAsync();
            }

            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Each run writes every row with new values (two versions taking turns), so every key is really updated.</summary>
    private static Func<Task> Changing(IUsageStore store, IReadOnlyList<HourlyUsage> rows)
    {
        List<HourlyUsage>[] versions = [[.. rows.Select(r => r with { Requests = r.Requests + 1 })], [.. rows.Select(r => r with { Requests = r.Requests + 2 })]];
        var run = 0;
        return () => store.UpsertAsync(versions[run++ % 2], CancellationToken.None);
    }

    private static void Report(string engine, long rows, double raw, double upsert, double ingest, double reingest, double changed, string baseline)
    {
        Console.WriteLine($"  {engine}:");
        Console.WriteLine($"    {baseline,-38} {raw,6:N2} s  {rows / raw,10:N0} rows/s  (1.00)");
        Console.WriteLine($"    store upsert of parsed rows            {upsert,6:N2} s  {rows / upsert,10:N0} rows/s  ({raw / upsert:N2} of raw)");
        Console.WriteLine($"    ingest of the CSV file (parse+upsert)  {ingest,6:N2} s  {rows / ingest,10:N0} rows/s  ({raw / ingest:N2} of raw)");
        Console.WriteLine($"    re-ingest of the same rows (unchanged) {reingest,6:N2} s  {rows / reingest,10:N0} rows/s  ({raw / reingest:N2} of raw)");
        Console.WriteLine($"    re-ingest, every row changed (merge)   {changed,6:N2} s  {rows / changed,10:N0} rows/s  ({raw / changed:N2} of raw)");
    }

    private static async Task<double> Best(Func<Task> run, Func<Task>? reset = null)
    {
        var best = double.MaxValue;
        for (var i = 0; i < Runs; i++)
        {
            if (reset is not null)
            {
                await reset();
            }

            GC.Collect();
            var watch = Stopwatch.StartNew();
            await run();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        return best;
    }

    private static async Task RawCopyAsync(string connectionString, IReadOnlyList<HourlyUsage> rows)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY usage_hourly (project, model, hour, input_tokens, output_tokens, requests, cached_input_tokens, cost_usd, latency_ms_p50, latency_ms_p95, errors) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(row.Project, NpgsqlDbType.Text);
                await writer.WriteAsync(row.Model, NpgsqlDbType.Text);
                await writer.WriteAsync(row.Hour, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(row.InputTokens, NpgsqlDbType.Bigint);
                await writer.WriteAsync(row.OutputTokens, NpgsqlDbType.Bigint);
                await writer.WriteAsync(row.Requests, NpgsqlDbType.Bigint);
                await WriteAsync(writer, row.CachedInputTokens, NpgsqlDbType.Bigint);
                await WriteAsync(writer, row.CostUsd, NpgsqlDbType.Double);
                await WriteAsync(writer, row.LatencyMsP50, NpgsqlDbType.Double);
                await WriteAsync(writer, row.LatencyMsP95, NpgsqlDbType.Double);
                await WriteAsync(writer, row.Errors, NpgsqlDbType.Bigint);
            }

            await writer.CompleteAsync();
        }

        await transaction.CommitAsync();
    }

    private static async Task WriteAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            await writer.WriteAsync(v, type);
        }
        else
        {
            await writer.WriteNullAsync();
        }
    }

    private static async Task TruncateAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("TRUNCATE usage_hourly; CHECKPOINT", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task RawSqliteInsertAsync(string path, IReadOnlyList<HourlyUsage> rows)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = NORMAL";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO usage_hourly (project, model, hour, input_tokens, output_tokens, requests, cached_input_tokens,
                cost_usd, latency_ms_p50, latency_ms_p95, errors, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """;
        var parameters = Enumerable.Range(1, 12).Select(i => command.Parameters.Add("$" + i, SqliteType.Integer)).ToArray();
        command.Prepare();
        foreach (var row in rows)
        {
            parameters[0].Value = row.Project;
            parameters[1].Value = row.Model;
            parameters[2].Value = row.Hour.ToUnixTimeSeconds();
            parameters[3].Value = row.InputTokens;
            parameters[4].Value = row.OutputTokens;
            parameters[5].Value = row.Requests;
            parameters[6].Value = (object?)row.CachedInputTokens ?? DBNull.Value;
            parameters[7].Value = (object?)row.CostUsd ?? DBNull.Value;
            parameters[8].Value = (object?)row.LatencyMsP50 ?? DBNull.Value;
            parameters[9].Value = (object?)row.LatencyMsP95 ?? DBNull.Value;
            parameters[10].Value = (object?)row.Errors ?? DBNull.Value;
            parameters[11].Value = 0;
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static async Task ClearSqliteAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM usage_hourly; PRAGMA wal_checkpoint(TRUNCATE);";
        await command.ExecuteNonQueryAsync();
    }
}
