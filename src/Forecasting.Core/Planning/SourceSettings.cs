namespace Forecasting.Core.Planning;

/// <summary>
/// One usage source to collect (an account of the relay, or an OpenAI organization), from the <c>sources</c>
/// list of <c>config/forecasting.json</c>. The key is read from the environment variable <see cref="ApiKeyEnv"/>, never stored here.
/// </summary>
public sealed record SourceSettings
{
    /// <summary>Names the source in <c>collect --source-name</c>, logs and <c>/health</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary><c>relay</c> or <c>openai</c>.</summary>
    public string Kind { get; init; } = "relay";

    public string BaseUrl { get; init; } = "";

    public string ApiKeyEnv { get; init; } = "FORECASTING_RELAY_KEY";

    /// <summary>Project recorded for entries that name none (one per account keeps accounts apart); <c>default</c> when absent.</summary>
    public string? Project { get; init; }

    /// <summary>How the relay is asked for a window: <c>date</c> (<c>YYYY-MM-DD</c>, as documented) or <c>timestamp</c> (ISO 8601 UTC).</summary>
    public string RequestDates { get; init; } = "date";

    /// <summary><c>POST</c> (JSON body) or <c>GET</c> (query string) <c>{base}/usage</c>.</summary>
    public string Method { get; init; } = "POST";

    /// <summary>The source writes UTC times without an offset; otherwise such times are refused.</summary>
    public bool AssumeUtc { get; init; }
}
