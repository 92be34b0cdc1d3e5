namespace Forecasting.Api.Contracts;

/// <summary>Forecast cost of one hour in USD.</summary>
public sealed record CostRange(double? P10, double? P50, double? P90)
{
    public double? P10 { get; init; } = FiniteNumber.OrNull(P10);

    public double? P50 { get; init; } = FiniteNumber.OrNull(P50);

    public double? P90 { get; init; } = FiniteNumber.OrNull(P90);
}
