using Forecasting.Core.Forecasting;

namespace Forecasting.Data.Collect;

/// <summary>How hard the collector tries before it gives up on a source.</summary>
public sealed record CollectorOptions
{
    /// <summary>Retries after the first attempt, on 429, 408, 5xx, timeouts, network errors and unreadable bodies.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>First backoff delay; doubles with each retry, with jitter. A Retry-After header wins.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Time allowed for one HTTP attempt, reading the body included.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Buckets asked per page from the OpenAI usage API (its maximum for 1h buckets: a week of hours).</summary>
    public int PageLimit { get; init; } = Horizon.HoursPerWeek;

    /// <summary>The relay is asked for at most this much time per request.</summary>
    public TimeSpan RelayChunk { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Pages one OpenAI collection may read; null: twice the pages the window needs at <see cref="PageLimit"/>
    /// buckets a page, plus ten. A source that pages beyond it (new cursors forever) is refused.
    /// </summary>
    public int? MaxPages { get; init; }

    /// <summary>Time one collection may take, retries included, before it stops with an error.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The clock for the hour bound (no usage after now + 1 day) and <see cref="MaxDuration"/>.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Project recorded for relay rows that carry none.</summary>
    public string DefaultProject { get; init; } = "default";

    /// <summary>Model names as the source spells them, to canonical names; applied before a name is validated.</summary>
    public Forecasting.Core.Usage.ModelAliases Aliases { get; init; } = Forecasting.Core.Usage.ModelAliases.Default;

    /// <summary>The relay is asked with <c>YYYY-MM-DD</c> dates (as its documentation shows); false: ISO 8601 UTC timestamps.</summary>
    public bool RelayDateOnly { get; init; } = true;

    /// <summary>The relay is asked with <c>GET {base}/usage?start_date=...</c> instead of a POSTed JSON body.</summary>
    public bool RelayGet { get; init; }

    /// <summary>Times the source writes without an offset are UTC; otherwise they are refused (<see cref="Forecasting.Core.Usage.SourceTime"/>).</summary>
    public bool AssumeUtc { get; init; }
}
