using System.CommandLine;
using Forecasting.Core;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;

namespace Forecasting.Cli;

/// <summary>Series from the store, and the --target option that picks what they count.</summary>
internal static class CliSeries
{
    public static Option<string> TargetOption() => new("--target")
    {
        Description = "What to forecast: tokens (input + output), requests or cost",
        DefaultValueFactory = _ => "tokens",
    };

    public static ForecastTarget ParseTarget(string? text) => text?.ToLowerInvariant() switch
    {
        "tokens" or null => ForecastTarget.Tokens,
        "requests" => ForecastTarget.Requests,
        "cost" => ForecastTarget.Cost,
        _ => throw new InvalidInputException($"--target '{text}' is not one of tokens, requests, cost"),
    };

    public static async Task<IReadOnlyList<HourlySeries>> LoadAsync(IUsageStore store, ForecastTarget target, CancellationToken cancellationToken)
    {
        var rows = new List<HourlyUsage>();
        await foreach (var row in store.ReadAsync(UsageQuery.All, cancellationToken))
        {
            rows.Add(row);
        }

        if (rows.Count == 0)
        {
            throw new InvalidInputException($"the store ({store.Description}) holds no usage yet; run 'forecasting ingest <file>' or 'forecasting collect' first");
        }

        return SeriesBuilder.Build(rows, target, PriceTable.Default);
    }
}
