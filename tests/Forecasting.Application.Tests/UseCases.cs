using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Application.Tests;

/// <summary>The use cases as the hosts get them: resolved from <see cref="ForecastingApplicationServiceCollectionExtensions.AddForecastingApplication"/> over a workspace.</summary>
internal static class UseCases
{
    public static ServiceProvider For(Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return new ServiceCollection()
            .AddSingleton<IWorkspaceSource>(workspace)
            .AddSingleton(workspace.Registry)
            .AddForecastingApplication()
            .BuildServiceProvider();
    }

    /// <summary>One use case or query of <paramref name="workspace"/>.</summary>
    public static T Get<T>(this Workspace workspace)
        where T : notnull => For(workspace).GetRequiredService<T>();
}
