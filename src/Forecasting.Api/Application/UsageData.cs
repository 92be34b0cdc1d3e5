using Forecasting.Core;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;

namespace Forecasting.Api.Application;

/// <summary>The stored usage and the series built from it, read once per job.</summary>
public sealed record UsageData(IReadOnlyList<HourlyUsage> Rows, IReadOnlyList<HourlySeries> Series, ForecastTarget Target)
{
    public static async Task<UsageData> LoadAsync(IUsageStore store, ForecastTarget target, PriceTable prices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var rows = new List<HourlyUsage>();
        await foreach (var row in store.ReadAsync(UsageQuery.All, cancellationToken))
        {
            rows.Add(row);
        }

        if (rows.Count == 0)
        {
            throw new InvalidInputException($"the store ({store.Description}) holds no usage yet; run 'forecasting ingest <file>' or 'forecasting collect' first");
        }

        return new UsageData(rows, SeriesBuilder.Build(rows, target, prices), target);
    }
}
