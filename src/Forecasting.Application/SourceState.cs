namespace Forecasting.Application;

/// <summary>A source's last successful and last failed collection, and the failure's reason.</summary>
public sealed record SourceState(string Name, DateTimeOffset? LastSuccess, int? LastRows, DateTimeOffset? LastFailure, string? LastError)
{
    /// <summary>The latest attempt failed.</summary>
    public bool Failing => LastFailure is { } f && (LastSuccess is not { } s || f > s);
}
