using Forecasting.Core;
using Microsoft.Extensions.Logging;

namespace Forecasting.Data.Stores;

/// <summary>Opens the store that a store location (an adapter's database setting) names.</summary>
public static class UsageStore
{
    /// <summary>
    /// A PostgreSQL connection string (<c>Host=...;...</c>) or URI (<c>postgres://</c>) opens PostgreSQL;
    /// anything else is a SQLite file path, created with its folder when missing.
    /// </summary>
    /// <param name="db">The store location: a SQLite file, or a PostgreSQL connection string or URI.</param>
    /// <param name="logger">Where PostgreSQL retries (server restarting, connection lost) are reported.</param>
    /// <param name="setting">What the adapter calls <paramref name="db"/>, for user errors (its option or setting name).</param>
    public static IUsageStore Open(string db, ILogger? logger = null, string setting = DefaultSetting)
    {
        if (string.IsNullOrWhiteSpace(db))
        {
            throw new InvalidInputException($"{setting} is empty; give a SQLite file, a PostgreSQL connection string (Host=...;Database=...) or a postgres:// URI");
        }

        if (!IsPostgres(db))
        {
            return new SqliteUsageStore(db);
        }

        try
        {
            return new PostgresUsageStore(PostgresUsageStore.NormalizeConnectionString(db), logger);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException or InvalidCastException or OverflowException)
        {
            // The value itself is not repeated: it may hold a password.
            throw new InvalidInputException($"{setting} is not a valid PostgreSQL connection string or URI: {e.Message}", e);
        }
    }

    /// <summary>The name of the store location in user errors when the caller gives none.</summary>
    public const string DefaultSetting = "the store location";

    public static bool IsPostgres(string db) =>
        db.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || db.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || (db.Contains('=', StringComparison.Ordinal) && db.Contains("host", StringComparison.OrdinalIgnoreCase));

    public static Task<IUsageStore> OpenAndMigrateAsync(string db, CancellationToken cancellationToken) =>
        OpenAndMigrateAsync(db, null, cancellationToken);

    public static Task<IUsageStore> OpenAndMigrateAsync(string db, ILogger? logger, CancellationToken cancellationToken) =>
        OpenAndMigrateAsync(db, DefaultSetting, logger, cancellationToken);

    /// <param name="setting">What the adapter calls <paramref name="db"/>, for user errors (its option or setting name).</param>
    public static async Task<IUsageStore> OpenAndMigrateAsync(string db, string setting, ILogger? logger, CancellationToken cancellationToken)
    {
        var store = Open(db, logger, setting);
        try
        {
            await store.MigrateAsync(cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }
}
