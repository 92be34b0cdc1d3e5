using System.CommandLine;
using Forecasting.Data.Stores;
using Microsoft.Extensions.Logging;

namespace Forecasting.Cli;

internal static class CliStore
{
    /// <summary>Opens the store named by --db and applies pending migrations; PostgreSQL retries are logged as warnings.</summary>
    public static Task<IUsageStore> OpenAsync(ParseResult parseResult, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        UsageStore.OpenAndMigrateAsync(parseResult.GetValue(CommonOptions.Db)!, "--db", loggers.CreateLogger("Forecasting.Store"), cancellationToken);
}
