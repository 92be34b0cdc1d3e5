using Forecasting.Core.Usage;

namespace Forecasting.Core.Pricing;

/// <summary>
/// Per-model token prices. <see cref="Default"/> holds list prices (USD per million tokens) as of
/// the table's <see cref="Version"/>; a configured table replaces it.
/// </summary>
public sealed class PriceTable
{
    private readonly Dictionary<string, ModelPrice> _prices;

    public PriceTable(string version, IReadOnlyDictionary<string, ModelPrice> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        Version = version;
        _prices = new Dictionary<string, ModelPrice>(prices, StringComparer.OrdinalIgnoreCase);
    }

    public string Version { get; }

    public IReadOnlyCollection<string> Models => _prices.Keys;

    public static PriceTable Default { get; } = new("2026-11", new Dictionary<string, ModelPrice>
    {
        ["deepseek-v3.2"] = new(0.28, 0.028, 0.42),
        ["gpt-4.1"] = new(2.00, 0.50, 8.00),
        ["gpt-4.1-mini"] = new(0.40, 0.10, 1.60),
        ["claude-sonnet-4.5"] = new(3.00, 0.30, 15.00),
        ["gemini-2.5-flash"] = new(0.30, 0.075, 2.50),
    });

    public bool TryGet(string model, out ModelPrice price) => _prices.TryGetValue(model, out price!);

    /// <summary>The cost of a usage row, or null when the model has no price (never a silent zero).</summary>
    public double? Cost(HourlyUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (!TryGet(usage.Model, out var price))
        {
            return null;
        }

        var cached = Math.Min(usage.CachedInputTokens ?? 0, usage.InputTokens);
        return ((usage.InputTokens - cached) * price.InputPerMillion
            + cached * price.CachedInputPerMillion
            + usage.OutputTokens * price.OutputPerMillion) / 1_000_000d;
    }
}
