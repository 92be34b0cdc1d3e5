using System.CommandLine;
using Forecasting.Data.Stores;

namespace Forecasting.Cli;

internal static class CliStore
{
    /// <summary>Opens the store named by --db and applies pending migrations.</summary>
    public static Task<IUsageStore> OpenAsync(ParseResult parseResult, CancellationToken cancellationToken) =>
        UsageStore.OpenAndMigrateAsync(parseResult.GetValue(CommonOptions.Db)!, cancellationToken);
}
