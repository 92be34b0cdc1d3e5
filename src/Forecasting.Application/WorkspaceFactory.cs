using Forecasting.Core.Planning;
using Forecasting.Data.Stores;
using Forecasting.ML.Registry;
using Microsoft.Extensions.Logging;

namespace Forecasting.Application;

/// <summary>
/// The one place a <see cref="Workspace"/> is built: from the registry, the planning settings, the clock and the
/// loggers, around a usage store the caller opened (<see cref="Create"/>) or one opened and migrated here
/// (<see cref="OpenAsync"/>). The CLI opens one per command; the service wraps its shared store connection.
/// </summary>
public sealed class WorkspaceFactory(ModelRegistry registry, PlanningSettings settings, TimeProvider time, ILoggerFactory loggers)
{
    public Workspace Create(IUsageStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new Workspace(store, registry, settings, time) { Loggers = loggers };
    }

    /// <summary>
    /// Opens the store named by <paramref name="db"/> (applying pending migrations; PostgreSQL retries are logged as warnings).
    /// <paramref name="setting"/> is what the user calls the location (the CLI's <c>--db</c>), named in errors. The caller
    /// disposes <see cref="Workspace.Store"/>.
    /// </summary>
    public async Task<Workspace> OpenAsync(string db, string setting, CancellationToken cancellationToken) =>
        Create(await UsageStore.OpenAndMigrateAsync(db, setting, loggers.CreateLogger("Forecasting.Store"), cancellationToken));
}
