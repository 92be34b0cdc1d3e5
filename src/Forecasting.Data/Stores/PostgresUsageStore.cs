using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Forecasting.Data.Stores;

/// <summary>
/// The production store: PostgreSQL, composed of its schema (<see cref="PostgresMigrations"/>), its writes
/// (<see cref="PostgresUsageWriter"/>: binary COPY, merges, keyed forecast saves) and its reads
/// (<see cref="PostgresUsageReader"/>), all over one data source and one <see cref="TransientRetry"/>.
/// </summary>
public sealed class PostgresUsageStore : IUsageStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresMigrations _migrations;
    private readonly PostgresUsageWriter _writer;
    private readonly PostgresUsageReader _reader;

    public PostgresUsageStore(string connectionString, ILogger? logger = null, TransientRetryOptions? retry = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(builder);
        var transientRetry = new TransientRetry(_dataSource, logger, retry);
        _migrations = new PostgresMigrations(_dataSource, transientRetry);
        _writer = new PostgresUsageWriter(_dataSource, transientRetry);
        _reader = new PostgresUsageReader(_dataSource, transientRetry);
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

    public Task MigrateAsync(CancellationToken cancellationToken) => _migrations.MigrateAsync(cancellationToken);

    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken) => _migrations.GetSchemaVersionAsync(cancellationToken);

    public Task<int> UpsertAsync(IReadOnlyList<HourlyUsage> rows, CancellationToken cancellationToken) => _writer.UpsertAsync(rows, cancellationToken);

    public Task<int> UpsertStreamAsync(IAsyncEnumerable<HourlyUsage> rows, CancellationToken cancellationToken) => _writer.UpsertStreamAsync(rows, cancellationToken);

    public IAsyncEnumerable<HourlyUsage> ReadAsync(UsageQuery query, CancellationToken cancellationToken) => _reader.ReadAsync(query, cancellationToken);

    public Task<UsageSummary> SummarizeAsync(CancellationToken cancellationToken) => _reader.SummarizeAsync(cancellationToken);

    /// <summary>
    /// Each save has a key of its own: a retry after a commit whose acknowledgement was lost (the
    /// connection dropped at that moment) finds the run stored and stores it no second time.
    /// </summary>
    public Task SaveForecastAsync(ForecastRun run, string? plan, CancellationToken cancellationToken) => SaveForecastAsync(run, plan, Guid.NewGuid(), cancellationToken);

    /// <summary>Stores the run under <paramref name="key"/> unless a run with that key is stored already; true when this call stored it.</summary>
    internal Task<bool> SaveForecastAsync(ForecastRun run, string? plan, Guid key, CancellationToken cancellationToken) => _writer.SaveForecastAsync(run, plan, key, cancellationToken);

    public Task<ForecastRun?> LatestForecastAsync(ForecastTarget target, CancellationToken cancellationToken) => _reader.LatestForecastAsync(target, cancellationToken);

    public Task<ForecastRunStamp?> LatestForecastStampAsync(ForecastTarget target, CancellationToken cancellationToken) => _reader.LatestForecastStampAsync(target, cancellationToken);

    public Task<string?> LatestPlanAsync(ForecastTarget target, CancellationToken cancellationToken) => _reader.LatestPlanAsync(target, cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
