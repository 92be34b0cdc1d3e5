using System.Globalization;
using Forecasting.Core.Pricing;
using Forecasting.Core.Usage;

namespace Forecasting.Core.Series;

/// <summary>
/// The one owner of what a <see cref="ForecastTarget"/> is called, measured in and how its values
/// are written: the CLI, the service, the planner, the report and the charts all ask here.
/// </summary>
public static class ForecastTargets
{
    public static IReadOnlyList<ForecastTarget> All { get; } = [ForecastTarget.Tokens, ForecastTarget.Requests, ForecastTarget.Cost];

    /// <summary>The names accepted by <see cref="Parse"/>, for messages.</summary>
    public static string Names => string.Join(", ", All.Select(Name));

    /// <summary>The lower-case name: <c>tokens</c>, <c>requests</c>, <c>cost</c> (stored runs, registry names, options).</summary>
    public static string Name(this ForecastTarget target) => target switch
    {
        ForecastTarget.Tokens => "tokens",
        ForecastTarget.Requests => "requests",
        ForecastTarget.Cost => "cost",
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, null),
    };

    /// <summary>The unit of one value: <c>tokens</c>, <c>requests</c>, <c>USD</c>.</summary>
    public static string Unit(this ForecastTarget target) => target == ForecastTarget.Cost ? "USD" : target.Name();

    /// <summary>The unit of an hourly value, for axes and tables: <c>tokens / hour</c>.</summary>
    public static string PerHour(this ForecastTarget target) => $"{target.Unit()} / hour";

    /// <summary>
    /// What one usage row counts of <paramref name="target"/>: its tokens (input + output), its requests, or its cost
    /// in USD (as reported, else priced by <paramref name="prices"/>; NaN when neither knows it).
    /// </summary>
    public static double ValueOf(this ForecastTarget target, HourlyUsage row, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(prices);
        return target switch
        {
            ForecastTarget.Tokens => row.TotalTokens,
            ForecastTarget.Requests => row.Requests,
            ForecastTarget.Cost => row.CostUsd ?? prices.Cost(row) ?? double.NaN,
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, null),
        };
    }

    public static bool TryParse(string? text, out ForecastTarget target)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                target = candidate;
                return true;
            }
        }

        target = ForecastTarget.Tokens;
        return false;
    }

    /// <summary>The target named by <paramref name="text"/> (tokens when empty); a user error naming <paramref name="source"/> (the adapter's name for it) otherwise.</summary>
    public static ForecastTarget Parse(string? text, string source) =>
        string.IsNullOrWhiteSpace(text) ? ForecastTarget.Tokens
        : TryParse(text, out var target) ? target
        : throw new InvalidInputException($"{source} '{text}' is not one of {Names}");

    /// <summary>
    /// A value for people, with its unit: <c>1.28M tokens</c>, <c>5.4k requests</c>, <c>$12.35</c>
    /// (cents below $100, so small costs never print as 0).
    /// </summary>
    public static string Format(this ForecastTarget target, double value) => target switch
    {
        ForecastTarget.Cost => Money(value),
        _ => $"{TokenFormat.Compact(value)} {target.Unit()}",
    };

    /// <summary>A value without its unit, for table cells: compact counts, or dollars (cents below 100).</summary>
    public static string FormatNumber(this ForecastTarget target, double value) => target switch
    {
        ForecastTarget.Cost => Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.00", CultureInfo.InvariantCulture),
        _ => TokenFormat.Compact(value),
    };

    private static string Money(double usd) =>
        Math.Abs(usd) >= 100 ? string.Create(CultureInfo.InvariantCulture, $"${usd:N0}")
        : Math.Abs(usd) >= 0.01 || usd == 0 ? string.Create(CultureInfo.InvariantCulture, $"${usd:0.00}")
        : string.Create(CultureInfo.InvariantCulture, $"${usd:0.0000}");
}
