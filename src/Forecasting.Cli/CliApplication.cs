using System.CommandLine;
using Forecasting.Application;
using Forecasting.ML.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Forecasting.Cli;

/// <summary>
/// The application for one command: the use cases resolved from <see cref="ForecastingApplicationServiceCollectionExtensions.AddForecastingApplication"/>
/// over the workspace of the common options (--config read first, so a bad file fails before the database is opened;
/// --db; --models). Disposing it closes the store.
/// </summary>
internal sealed class CliApplication : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly Workspace? _workspace;

    private CliApplication(ServiceProvider services, Workspace? workspace)
    {
        _services = services;
        _workspace = workspace;
    }

    /// <summary>The opened workspace (not for <see cref="WithoutStore"/>).</summary>
    public Workspace Workspace => _workspace ?? throw new InvalidOperationException("this command opened no store");

    /// <summary>Opens the store named by --db (applying pending migrations) with the registry and, unless <paramref name="readSettings"/> is false (<c>status</c>, <c>export</c>: the built-in defaults), the settings.</summary>
    public static async Task<CliApplication> OpenAsync(ParseResult parseResult, ILoggerFactory loggers, CancellationToken cancellationToken, bool readSettings = true)
    {
        var settings = readSettings ? CliSettings.Load(parseResult) : new Core.Planning.PlanningSettings();
        var registry = Registry(parseResult);
        var workspace = await new WorkspaceFactory(registry, settings, TimeProvider.System, loggers).OpenAsync(parseResult.GetValue(CommonOptions.Db)!, "--db", cancellationToken);
        return new CliApplication(Services(registry, loggers).AddSingleton<IWorkspaceSource>(workspace).BuildServiceProvider(), workspace);
    }

    /// <summary>For the commands that read the registry only or write files (<c>models list</c>, <c>samples</c>): no settings read, no store opened.</summary>
    public static CliApplication WithoutStore(ParseResult parseResult, ILoggerFactory loggers) =>
        new(Services(Registry(parseResult), loggers).BuildServiceProvider(), null);

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_workspace is not null)
        {
            await _workspace.Store.DisposeAsync();
        }
    }

    private static ModelRegistry Registry(ParseResult parseResult) => new(parseResult.GetValue(CommonOptions.Models)!);

    private static ServiceCollection Services(ModelRegistry registry, ILoggerFactory loggers)
    {
        var services = new ServiceCollection();
        services.AddSingleton(registry);
        services.AddSingleton(loggers);
        services.AddForecastingApplication();
        return services;
    }
}
