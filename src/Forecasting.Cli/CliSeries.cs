using System.CommandLine;
using Forecasting.Core;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
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

    /// <summary>The stored series of a target, read the way the service's jobs read them.</summary>
    public static async Task<IReadOnlyList<HourlySeries>> LoadAsync(IUsageStore store, ForecastTarget target, CancellationToken cancellationToken) =>
        (await Api.Application.UsageData.LoadAsync(store, target, PriceTable.Default, cancellationToken)).Series;
}
