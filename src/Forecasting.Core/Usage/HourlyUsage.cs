namespace Forecasting.Core.Usage;

/// <summary>
/// Usage of one model by one project during one UTC hour: the row of the usage CSV and of the store.
/// </summary>
public sealed record HourlyUsage
{
    public required DateTimeOffset Hour { get; init; }
    public required string Model { get; init; }
    public required string Project { get; init; }
    /// <summary>All input tokens as the source reports them (cached ones included).</summary>
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long Requests { get; init; }
    /// <summary>The part of <see cref="InputTokens"/> served from the provider's cache, when known.</summary>
    public long? CachedInputTokens { get; init; }
    public double? CostUsd { get; init; }
    public double? LatencyMsP50 { get; init; }
    public double? LatencyMsP95 { get; init; }
    public long? Errors { get; init; }

    public long TotalTokens => InputTokens + OutputTokens;

    public UsageKey Key => new(Hour, Model, Project);
}
