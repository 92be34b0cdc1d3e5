using Forecasting.Data.Ingest;

namespace Forecasting.Application;

/// <summary>
/// Load a usage CSV or a request-log JSONL file into the store (strict, or storing the good rows with <c>skipInvalid</c>).
/// The caller checked that the file exists (the CLI's <c>ingest</c> says so before the store is opened).
/// </summary>
public sealed class IngestUseCase(IWorkspaceSource workspaces)
{
    public async Task<IngestOutcome> RunAsync(string path, bool skipInvalid, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var workspace = await workspaces.GetAsync(cancellationToken);
        return await new UsageIngestor(workspace.Store, workspace.Loggers.CreateLogger("Forecasting.Ingest"), aliases: workspace.Settings.Aliases).IngestAsync(full, skipInvalid, cancellationToken);
    }
}
