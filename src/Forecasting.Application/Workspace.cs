using Forecasting.Core.Planning;
using Forecasting.Data.Stores;
using Forecasting.ML.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forecasting.Application;

/// <summary>
/// What every use case works on, given once: the usage store, the model registry, the planning
/// settings (price table, budgets, limits, currency) and the clock. Built by <see cref="WorkspaceFactory"/>:
/// the CLI once per command from its options, the service from its configuration.
/// </summary>
public sealed record Workspace(IUsageStore Store, ModelRegistry Registry, PlanningSettings Settings, TimeProvider Time) : IWorkspaceSource
{
    public ILoggerFactory Loggers { get; init; } = NullLoggerFactory.Instance;

    /// <summary>This workspace itself.</summary>
    public Task<Workspace> GetAsync(CancellationToken cancellationToken) => Task.FromResult(this);
}
