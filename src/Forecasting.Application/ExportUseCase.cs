using Forecasting.Data.Export;
using Forecasting.Data.Stores;

namespace Forecasting.Application;

/// <summary>Writes the stored usage as a usage CSV (the format ingest reads), through a temporary file; the CLI's <c>export</c>.</summary>
public sealed class ExportUseCase(IWorkspaceSource workspaces)
{
    /// <returns>The rows written.</returns>
    public async Task<long> RunAsync(string path, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        return await UsageCsvWriter.ExportAsync(workspace.Store, path, UsageQuery.All, cancellationToken);
    }
}
