namespace Forecasting.Api.Contracts;

/// <summary>
/// What to provision: <see cref="Value"/> is the p90 of the forecast hour containing now + lead;
/// <see cref="Replicas"/> is that value over one replica's capacity, rounded up.
/// </summary>
public sealed record AutoscaleRecommendation(double? Value, long Replicas, int LeadMinutes, DateTimeOffset Hour, double PerReplicaTokensPerHour)
{
    public double? Value { get; init; } = FiniteNumber.OrNull(Value);
}
