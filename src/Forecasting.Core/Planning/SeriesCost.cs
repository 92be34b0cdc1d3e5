namespace Forecasting.Core.Planning;

/// <summary>
/// Cost forecast of one series in USD per hour. <see cref="UsdPerMillionTokens"/> is the blended price
/// of the series' recent input/cached/output mix; null (and no points) when a model has no price.
/// </summary>
public sealed record SeriesCost(string Series, double? UsdPerMillionTokens, IReadOnlyList<CostPoint> Points, IReadOnlyList<string> UnpricedModels)
{
    public bool Known => UnpricedModels.Count == 0;
}
