using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;

namespace Forecasting.Application;

/// <summary>The stored usage and the series of one target built from it (priced with the settings' table), read once per use case.</summary>
public sealed record UsageData(IReadOnlyList<HourlyUsage> Rows, IReadOnlyList<HourlySeries> Series, ForecastTarget Target)
{
    /// <summary>The workspace's usage; cost series are priced with the workspace's settings, the only price table a use case sees.</summary>
    public static async Task<UseCaseResult<UsageData>> LoadAsync(Workspace workspace, ForecastTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var store = workspace.Store;
        var rows = new List<HourlyUsage>();
        await foreach (var row in store.ReadAsync(UsageQuery.All, cancellationToken))
        {
            rows.Add(row);
        }

        if (rows.Count == 0)
        {
            return UseCase.Unavailable<UsageData>(
                $"the store ({store.Description}) holds no usage yet; run 'forecasting ingest <file>' or 'forecasting collect' first");
        }

        return UseCase.Ok(new UsageData(rows, SeriesBuilder.Build(rows, target, workspace.Settings.PriceTable), target));
    }
}
