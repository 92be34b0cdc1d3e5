using Forecasting.Core.Series;

namespace Forecasting.Api;

/// <summary>
/// The service's settings, bound from the <c>Forecasting</c> configuration section. The API key is the
/// exception: it is read from <c>FORECASTING_API_KEY</c> only, so it never lands in a settings file.
/// </summary>
public sealed class ApiOptions
{
    public const string Section = "Forecasting";

    public const string ApiKeyVariable = "FORECASTING_API_KEY";

    /// <summary>Usage store: a SQLite file path or a PostgreSQL connection string.</summary>
    public string Db { get; set; } = "data/forecasting.db";

    /// <summary>Model registry folder.</summary>
    public string Models { get; set; } = "models";

    /// <summary>Planning settings file (budgets, rate limits, prices); built-in defaults when null.</summary>
    public string? Config { get; set; }

    /// <summary>Folder holding <c>report.html</c> and <c>charts/</c>, as written by <c>forecasting report</c>.</summary>
    public string Reports { get; set; } = "out/report";

    /// <summary>From the environment only; when non-empty every /api route requires it.</summary>
    public string? ApiKey { get; set; }

    /// <summary>A forecast generated longer ago than this is served with <c>stale: true</c> (<c>forecast_old</c>).</summary>
    public double StaleAfterMinutes { get; set; } = 120;

    /// <summary>
    /// A forecast is stale (<c>data_old</c>) when the newest stored usage hour started longer ago than this:
    /// a forecast made every hour from data that stopped arriving is fresh only in name. 0 turns the check off.
    /// </summary>
    public double DataStaleAfterMinutes { get; set; } = 240;

    /// <summary>
    /// When set (e.g. 503), a stale autoscale answer is this status with a ProblemDetails instead of a 200, so that
    /// KEDA's <c>fallback</c> replicas take over; unset, stale answers are 200 with <c>stale: true</c>.
    /// </summary>
    public int? StaleStatusCode { get; set; }

    /// <summary>Leave /metrics open when an API key is set (a scraper without the key); /health stays behind the key.</summary>
    public bool PublicMetrics { get; set; }

    /// <summary>Default capacity of one replica for the autoscale endpoint.</summary>
    public double PerReplicaTokensPerHour { get; set; } = 2_000_000;

    /// <summary>Forecast target served: tokens, requests or cost.</summary>
    public string Target { get; set; } = "tokens";

    internal ForecastTarget ParsedTarget => ForecastTargets.Parse(Target, $"{Section}:{nameof(Target)}");

    internal bool IsStale(DateTimeOffset generatedAt, DateTimeOffset now) => now - generatedAt > TimeSpan.FromMinutes(StaleAfterMinutes);
}
