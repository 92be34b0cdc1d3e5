namespace Forecasting.Core.Usage;

/// <summary>
/// One name per model wherever usage enters: the relay and providers spell a model several ways
/// (<c>claude-sonnet-4-5</c>, <c>anthropic/claude-sonnet-4.5</c>, <c>deepseek-chat</c>), while series,
/// prices, rate limits and reports key on one canonical name. Applied before the name is validated, so a
/// provider prefix (<c>deepseek/deepseek-chat-v3-0324</c>) is dropped rather than refused for its '/'.
/// Configured aliases (<c>model_aliases</c>) win over the built-in list; matching ignores case.
/// </summary>
public sealed class ModelAliases
{
    /// <summary>Provider prefixes that routers (OpenRouter-style relays) put before a model's name.</summary>
    public static IReadOnlyList<string> ProviderPrefixes { get; } =
        ["deepseek/", "anthropic/", "openai/", "google/", "meta-llama/", "mistralai/", "qwen/", "x-ai/", "moonshotai/"];

    /// <summary>Common spellings of the models the built-in price table knows.</summary>
    public static IReadOnlyDictionary<string, string> BuiltIn { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["claude-sonnet-4-5"] = "claude-sonnet-4.5",
        ["claude-sonnet-4-5-20250929"] = "claude-sonnet-4.5",
        ["claude-4.5-sonnet"] = "claude-sonnet-4.5",
        ["deepseek-chat"] = "deepseek-v3.2",
        ["deepseek-v3.2-exp"] = "deepseek-v3.2",
        ["deepseek-v3-2"] = "deepseek-v3.2",
        ["gpt-4.1-2025-04-14"] = "gpt-4.1",
        ["gpt-4-1"] = "gpt-4.1",
        ["gpt-4.1-mini-2025-04-14"] = "gpt-4.1-mini",
        ["gpt-4-1-mini"] = "gpt-4.1-mini",
        ["gemini-2-5-flash"] = "gemini-2.5-flash",
        ["gemini-2.5-flash-001"] = "gemini-2.5-flash",
    };

    private readonly Dictionary<string, string> _configured;

    public ModelAliases(IReadOnlyDictionary<string, string>? configured = null)
    {
        _configured = new Dictionary<string, string>(configured ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The built-in list alone.</summary>
    public static ModelAliases Default { get; } = new();

    /// <summary>
    /// The canonical name of <paramref name="raw"/>: a configured alias of the name as given, else of the name
    /// without its provider prefix, else the built-in alias, else the name without its prefix (trimmed).
    /// </summary>
    public string Canonical(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var name = raw.Trim();
        if (_configured.TryGetValue(name, out var configured))
        {
            return configured;
        }

        var bare = StripPrefix(name);
        if (_configured.TryGetValue(bare, out configured))
        {
            return configured;
        }

        return BuiltIn.TryGetValue(bare, out var known) ? known : bare;
    }

    private static string StripPrefix(string name)
    {
        foreach (var prefix in ProviderPrefixes)
        {
            if (name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return name[prefix.Length..];
            }
        }

        return name;
    }
}
