namespace Forecasting.Api.Contracts;

/// <summary>One forecast hour; <see cref="CostUsd"/> is null when the cost is unknown.</summary>
public sealed record ForecastHour(DateTimeOffset Hour, double? P10, double? P50, double? P90, CostRange? CostUsd)
{
    public double? P10 { get; init; } = FiniteNumber.OrNull(P10);

    public double? P50 { get; init; } = FiniteNumber.OrNull(P50);

    public double? P90 { get; init; } = FiniteNumber.OrNull(P90);
}
