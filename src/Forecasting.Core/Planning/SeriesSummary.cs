using Forecasting.Core.Series;

namespace Forecasting.Core.Planning;

/// <summary>
/// Per series: the next 7 days' total (p50, in the forecast target's unit) and cost against the
/// previous 7 actual days, and the peak hour. Cost fields are null when unknown (a model without a price).
/// </summary>
public sealed record SeriesSummary(
    SeriesKey Series,
    string Model,
    double NextWeek,
    double? LastWeek,
    double? NextWeekCostUsd,
    double? LastWeekCostUsd,
    DateTimeOffset PeakHour,
    double PeakP50,
    double PeakP90,
    double AverageP50)
{
    public double? Change => LastWeek is > 0 ? (NextWeek / LastWeek.Value) - 1 : null;
}
