namespace Forecasting.Application;

/// <summary>
/// What to collect: the source kind (<c>relay</c>, <c>openai</c>), its base address, the name of the
/// environment variable holding its key (never the key), the window [From, To), and retry settings.
/// </summary>
public sealed record CollectRequest(string Source, string BaseUrl, string ApiKeyVariable, DateTimeOffset From, DateTimeOffset To)
{
    public int MaxRetries { get; init; } = 5;

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
