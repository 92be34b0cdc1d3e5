using Forecasting.Core;
using Forecasting.Data.Ingest;

namespace Forecasting.Application;

/// <summary>Load a usage CSV or a request-log JSONL file into the store (strict, or storing the good rows with <c>skipInvalid</c>).</summary>
public sealed class IngestUseCase(Workspace workspace)
{
    public Task<IngestOutcome> RunAsync(string path, bool skipInvalid, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new InvalidInputException($"{full}: no such file");
        }

        return new UsageIngestor(workspace.Store, workspace.Loggers.CreateLogger("Forecasting.Ingest"), aliases: workspace.Settings.Aliases).IngestAsync(full, skipInvalid, cancellationToken);
    }
}
