namespace Forecasting.Api.Scheduling;

/// <summary>The Quartz jobs' schedule and the hourly collection's source, both under <c>Forecasting:Schedule</c>.</summary>
public sealed class SchedulingOptions
{
    public const string Section = "Forecasting:Schedule";

    /// <summary>Off for tests and one-shot tools; the API still answers.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Hourly: collect the last hours, then refresh forecasts. Quartz cron (seconds first).</summary>
    public string RefreshCron { get; set; } = "0 5 * * * ?";

    /// <summary>Weekly retrain (backtest, register, promote if better), then forecast and report.</summary>
    public string RetrainCron { get; set; } = "0 0 3 ? * MON";

    /// <summary>Relay source for the hourly collection: relay or openai; empty to only refresh forecasts.</summary>
    public string? CollectSource { get; set; }

    public string? CollectBaseUrl { get; set; }

    /// <summary>Name of the environment variable that holds the source's key.</summary>
    public string CollectApiKeyEnv { get; set; } = "FORECASTING_RELAY_KEY";

    /// <summary>Hours re-collected each run: late-arriving usage of the previous hours is picked up (upserts are idempotent).</summary>
    public int CollectLookbackHours { get; set; } = 3;

    /// <summary>PostgreSQL job store check-in: how often a node says it is alive, and how long before others take its work.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ClusterCheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(20);
}
