using Forecasting.Core.Planning;

namespace Forecasting.Application;

/// <summary>
/// What to collect: the source kind (<c>relay</c>, <c>openai</c>), its base address, the name of the
/// environment variable holding its key (never the key), the window [From, To), retry settings, and how
/// the source is spoken to (the fields of a configured <see cref="SourceSettings"/>).
/// </summary>
public sealed record CollectRequest(string Source, string BaseUrl, string ApiKeyVariable, DateTimeOffset From, DateTimeOffset To)
{
    public int MaxRetries { get; init; } = 5;

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The configured source's name; the kind when given on the command line.</summary>
    public string? Name { get; init; }

    /// <summary>Project of entries that name none.</summary>
    public string Project { get; init; } = "default";

    public bool DateOnly { get; init; } = true;

    public bool UseGet { get; init; }

    public bool AssumeUtc { get; init; }

    /// <summary>The request for a configured source over [from, to).</summary>
    public static CollectRequest For(SourceSettings source, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new CollectRequest(source.Kind, source.BaseUrl, source.ApiKeyEnv, from, to)
        {
            Name = source.Name,
            Project = source.Project ?? "default",
            DateOnly = source.RequestDates != "timestamp",
            UseGet = source.Method == "GET",
            AssumeUtc = source.AssumeUtc,
        };
    }
}
