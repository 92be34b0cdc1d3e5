namespace Forecasting.Api.Contracts;

/// <summary>
/// One series' next 7 days: the p50 total in the target's <c>unit</c> against the last 7 days, cost in USD
/// (null when unknown), and the peak hour.
/// </summary>
public sealed record SeriesSummaryItem(
    string Series,
    string Model,
    string Unit,
    double? NextWeek,
    double? LastWeek,
    double? Change,
    double? NextWeekCostUsd,
    double? LastWeekCostUsd,
    DateTimeOffset PeakHour,
    double? PeakP50,
    double? PeakP90,
    double? AverageP50)
{
    public double? NextWeek { get; init; } = FiniteNumber.OrNull(NextWeek);

    public double? LastWeek { get; init; } = FiniteNumber.OrNull(LastWeek);

    public double? Change { get; init; } = FiniteNumber.OrNull(Change);

    public double? NextWeekCostUsd { get; init; } = FiniteNumber.OrNull(NextWeekCostUsd);

    public double? LastWeekCostUsd { get; init; } = FiniteNumber.OrNull(LastWeekCostUsd);

    public double? PeakP50 { get; init; } = FiniteNumber.OrNull(PeakP50);

    public double? PeakP90 { get; init; } = FiniteNumber.OrNull(PeakP90);

    public double? AverageP50 { get; init; } = FiniteNumber.OrNull(AverageP50);
}
