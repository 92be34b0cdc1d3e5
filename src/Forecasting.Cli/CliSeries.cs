using System.CommandLine;
using Forecasting.Core.Series;

namespace Forecasting.Cli;

/// <summary>The --target option that picks what the series count.</summary>
internal static class CliSeries
{
    public static Option<string> TargetOption() => new("--target")
    {
        Description = $"What to forecast: {ForecastTargets.Names} (tokens: input + output; cost: USD)",
        DefaultValueFactory = _ => ForecastTarget.Tokens.Name(),
    };

    public static ForecastTarget ParseTarget(string? text) => ForecastTargets.Parse(text, "--target");
}
