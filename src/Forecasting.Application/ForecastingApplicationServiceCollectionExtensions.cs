using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Forecasting.Application;

/// <summary>Registers the use cases and queries: the only way into the application, for the CLI, the jobs and the endpoints alike.</summary>
public static class ForecastingApplicationServiceCollectionExtensions
{
    /// <summary>
    /// The use cases and queries, each once. The host registers the <see cref="IWorkspaceSource"/> they work on (the CLI
    /// its opened <see cref="Workspace"/>, the service one over its store connection) and the <see cref="Forecasting.ML.Registry.ModelRegistry"/>
    /// (read without opening a store by <see cref="ModelVersionsQuery"/>); <see cref="SourceStatus"/> is optional.
    /// </summary>
    public static IServiceCollection AddForecastingApplication(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddTransient<IngestUseCase>();
        services.TryAddTransient<CollectUseCase>();
        services.TryAddTransient<ExportUseCase>();
        services.TryAddTransient<SamplesUseCase>();
        services.TryAddTransient<TrainUseCase>();
        services.TryAddTransient<ShardedTrainUseCase>();
        services.TryAddTransient<BacktestUseCase>();
        services.TryAddTransient<ForecastUseCase>();
        services.TryAddTransient<ReportUseCase>();
        services.TryAddTransient<RetrainUseCase>();
        services.TryAddTransient<RollbackUseCase>();
        services.TryAddTransient<RefreshUseCase>();
        services.TryAddTransient<DemoUseCase>();
        services.TryAddTransient<ConditionsUseCase>();
        services.TryAddTransient<LatestForecastQuery>();
        services.TryAddTransient<ModelVersionsQuery>();
        services.TryAddTransient<StatusQuery>();
        services.TryAddTransient<UnchangedSince>();
        return services;
    }
}
