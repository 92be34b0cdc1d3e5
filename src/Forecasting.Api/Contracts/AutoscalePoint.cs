namespace Forecasting.Api.Contracts;

/// <summary>One forecast hour: the median and the 80% interval.</summary>
public sealed record AutoscalePoint(DateTimeOffset Hour, double? P10, double? P50, double? P90)
{
    public double? P10 { get; init; } = FiniteNumber.OrNull(P10);

    public double? P50 { get; init; } = FiniteNumber.OrNull(P50);

    public double? P90 { get; init; } = FiniteNumber.OrNull(P90);
}
