using Forecasting.Application;

namespace Forecasting.Api.Services;

/// <summary>The service's <see cref="Workspace"/>, made by the <see cref="WorkspaceFactory"/> around its one store (opened on first use).</summary>
internal sealed class WorkspaceProvider(StoreConnection stores, WorkspaceFactory factory) : IWorkspaceSource
{
    public async Task<Workspace> GetAsync(CancellationToken cancellationToken) =>
        factory.Create(await stores.GetAsync(cancellationToken));
}
