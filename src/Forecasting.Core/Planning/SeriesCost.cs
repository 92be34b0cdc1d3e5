namespace Forecasting.Core.Planning;

/// <summary>
/// Cost forecast of one series in USD per hour. <see cref="UsdPerMillion"/> is the blended price of a
/// million of the target's units (tokens, requests) at the series' recent input/cached/output mix; null
/// (and no points) when a model has no price, and null for a cost forecast (its values are USD already).
/// </summary>
public sealed record SeriesCost(string Series, double? UsdPerMillion, IReadOnlyList<CostPoint> Points, IReadOnlyList<string> UnpricedModels)
{
    public bool Known => UnpricedModels.Count == 0;

    /// <summary>Some of the cost is priced at the cost the source reported (cost_usd), as the table has no price for its model.</summary>
    public bool FromReportedCost { get; init; }
}
