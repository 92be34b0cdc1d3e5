namespace Forecasting.Data.Stores;

/// <summary>A filter on stored usage; null bounds are open. <c>To</c> is exclusive.</summary>
public sealed record UsageQuery(DateTimeOffset? From = null, DateTimeOffset? To = null, string? Project = null, string? Model = null)
{
    public static UsageQuery All { get; } = new();
}
