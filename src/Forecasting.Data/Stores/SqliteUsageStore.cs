using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;

namespace Forecasting.Data.Stores;

/// <summary>
/// The embedded default store: one SQLite file, WAL journal. Hours are stored as Unix seconds (UTC),
/// which keeps the primary key compact and ordered. Composed of its schema (<see cref="SqliteMigrations"/>),
/// writes (<see cref="SqliteUsageWriter"/>) and reads (<see cref="SqliteUsageReader"/>) over one <see cref="SqliteDatabase"/>.
/// </summary>
public sealed class SqliteUsageStore : IUsageStore
{
    private readonly SqliteDatabase _database;
    private readonly SqliteMigrations _migrations;
    private readonly SqliteUsageWriter _writer;
    private readonly SqliteUsageReader _reader;

    public SqliteUsageStore(string path)
    {
        _database = new SqliteDatabase(path);
        _migrations = new SqliteMigrations(_database);
        _writer = new SqliteUsageWriter(_database);
        _reader = new SqliteUsageReader(_database);
    }

    public string Path => _database.Path;

    public string Description => $"SQLite {Path}";

    public Task MigrateAsync(CancellationToken cancellationToken) => _migrations.MigrateAsync(cancellationToken);

    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken) => _migrations.GetSchemaVersionAsync(cancellationToken);

    public Task<int> UpsertAsync(IReadOnlyList<HourlyUsage> rows, CancellationToken cancellationToken) => _writer.UpsertAsync(rows, cancellationToken);

    public Task<int> UpsertStreamAsync(IAsyncEnumerable<HourlyUsage> rows, CancellationToken cancellationToken) => _writer.UpsertStreamAsync(rows, cancellationToken);

    public IAsyncEnumerable<HourlyUsage> ReadAsync(UsageQuery query, CancellationToken cancellationToken) => _reader.ReadAsync(query, cancellationToken);

    public Task<UsageSummary> SummarizeAsync(CancellationToken cancellationToken) => _reader.SummarizeAsync(cancellationToken);

    public Task SaveForecastAsync(ForecastRun run, string? plan, CancellationToken cancellationToken) => _writer.SaveForecastAsync(run, plan, cancellationToken);

    public Task<ForecastRun?> LatestForecastAsync(ForecastTarget target, CancellationToken cancellationToken) => _reader.LatestForecastAsync(target, cancellationToken);

    public Task<ForecastRunStamp?> LatestForecastStampAsync(ForecastTarget target, CancellationToken cancellationToken) => _reader.LatestForecastStampAsync(target, cancellationToken);

    public Task<string?> LatestPlanAsync(ForecastTarget target, CancellationToken cancellationToken) => _reader.LatestPlanAsync(target, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _database.ClearPool();
        return ValueTask.CompletedTask;
    }
}
