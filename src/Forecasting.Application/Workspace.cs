using Forecasting.Core.Planning;
using Forecasting.Data.Stores;
using Forecasting.ML.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forecasting.Application;

/// <summary>
/// What every use case works on, given once: the usage store, the model registry, the planning
/// settings (price table, budgets, limits, currency) and the clock. The CLI builds one per command
/// from its options; the service builds one from its configuration.
/// </summary>
public sealed record Workspace(IUsageStore Store, ModelRegistry Registry, PlanningSettings Settings, TimeProvider Time)
{
    public ILoggerFactory Loggers { get; init; } = NullLoggerFactory.Instance;
}
