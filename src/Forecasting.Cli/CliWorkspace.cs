using System.CommandLine;
using Forecasting.Application;
using Forecasting.ML.Registry;
using Microsoft.Extensions.Logging;

namespace Forecasting.Cli;

/// <summary>The use cases' workspace from the common options: --config (read first, so a bad file fails before the database is opened), --db, --models.</summary>
internal static class CliWorkspace
{
    /// <summary>The caller disposes <see cref="Workspace.Store"/>.</summary>
    public static async Task<Workspace> OpenAsync(ParseResult parseResult, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var settings = CliSettings.Load(parseResult);
        var registry = new ModelRegistry(parseResult.GetValue(CommonOptions.Models)!);
        var store = await CliStore.OpenAsync(parseResult, loggers, cancellationToken);
        return new Workspace(store, registry, settings, TimeProvider.System) { Loggers = loggers };
    }
}
