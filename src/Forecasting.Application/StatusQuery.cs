namespace Forecasting.Application;

/// <summary>What the usage store holds (the CLI's <c>status</c>): one summary query and the schema version.</summary>
public sealed class StatusQuery(IWorkspaceSource workspaces)
{
    public async Task<StoreStatus> GetAsync(CancellationToken cancellationToken)
    {
        var store = (await workspaces.GetAsync(cancellationToken)).Store;
        var summary = await store.SummarizeAsync(cancellationToken);
        var schemaVersion = await store.GetSchemaVersionAsync(cancellationToken);
        return new StoreStatus(store.Description, schemaVersion, summary);
    }
}
