namespace Forecasting.Core.Planning;

/// <summary>
/// Per series: the next 7 days' tokens and cost (p50) against the previous 7 actual days, and the
/// peak hour. Cost fields are null when unknown (a model without a price).
/// </summary>
public sealed record SeriesSummary(
    string Series,
    string Model,
    double NextWeekTokens,
    double? LastWeekTokens,
    double? NextWeekCostUsd,
    double? LastWeekCostUsd,
    DateTimeOffset PeakHour,
    double PeakP50,
    double PeakP90,
    double AverageP50)
{
    public double? TokensChange => LastWeekTokens is > 0 ? (NextWeekTokens / LastWeekTokens.Value) - 1 : null;
}
