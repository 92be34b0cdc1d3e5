using Forecasting.Application;
using Forecasting.Core.Planning;
using Forecasting.ML.Registry;
using Microsoft.Extensions.Logging;

namespace Forecasting.Api.Services;

/// <summary>The service's <see cref="Workspace"/>: its one store (opened on first use), registry, planning settings and clock.</summary>
internal sealed class WorkspaceProvider(StoreConnection stores, ModelRegistry registry, PlanningSettings settings, TimeProvider time, ILoggerFactory loggers)
{
    public async Task<Workspace> GetAsync(CancellationToken cancellationToken) =>
        new(await stores.GetAsync(cancellationToken), registry, settings, time) { Loggers = loggers };
}
