using System.CommandLine;

namespace Forecasting.Cli;

/// <summary>Options every command understands.</summary>
internal static class CommonOptions
{
    public const string DefaultDb = "data/forecasting.db";

    public static readonly Option<string> Db = new("--db")
    {
        Description = "Usage store: a SQLite file path, or a PostgreSQL connection string (Host=...;Database=...) or postgres:// URI. Env: FORECASTING_DB",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FORECASTING_DB") is { Length: > 0 } db ? db : DefaultDb,
        Recursive = true,
    };

    public static readonly Option<string> Models = new("--models")
    {
        Description = "Model registry folder. Env: FORECASTING_MODELS",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FORECASTING_MODELS") is { Length: > 0 } dir ? dir : "models",
        Recursive = true,
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = "Planning settings (budgets, rate limits, currency, prices); default config/forecasting.json when present. Env: FORECASTING_CONFIG",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FORECASTING_CONFIG") is { Length: > 0 } c ? c : null,
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log informational messages to standard error",
        Recursive = true,
    };
}
