namespace Forecasting.Api.Contracts;

/// <summary>The forecast of the hour after the current one.</summary>
public sealed record AutoscaleNextHour(DateTimeOffset Hour, double? P50, double? P90)
{
    public double? P50 { get; init; } = FiniteNumber.OrNull(P50);

    public double? P90 { get; init; } = FiniteNumber.OrNull(P90);
}
