namespace Forecasting.Api.Contracts;

/// <summary>
/// One series' next 7 days: the p50 total in the target's <c>unit</c> against the last 7 days, cost in USD
/// (null when unknown), and the peak hour.
/// </summary>
public sealed record SeriesSummaryItem(
    string Series,
    string Model,
    string Unit,
    double NextWeek,
    double? LastWeek,
    double? Change,
    double? NextWeekCostUsd,
    double? LastWeekCostUsd,
    DateTimeOffset PeakHour,
    double PeakP50,
    double PeakP90,
    double AverageP50);
