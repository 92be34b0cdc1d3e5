namespace Forecasting.Data.Samples;

/// <summary>Knobs of the sample generator; the defaults produce the committed <c>data-samples/usage.csv</c>.</summary>
public sealed record SampleUsageOptions
{
    public int Seed { get; init; } = 20260727;

    /// <summary>First hour, a Monday 00:00 UTC.</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 7, 27, 0, 0, 0, TimeSpan.Zero);

    public int Weeks { get; init; } = 16;

    /// <summary>
    /// Extra synthetic tenants ("tenant-001", ...) cloned from the four base projects with their own
    /// scale and noise: used by benchmarks to reach a million rows. Zero for the sample file.
    /// </summary>
    public int ExtraTenants { get; init; }

    /// <summary>
    /// Traffic as bursty as a production chat service's: on top of the sample's shape, each project has multi-hour
    /// bursts (about one a day and a half, 1 to 12 hours, 1.5 to 5 times the level), two lasting level shifts (0.6 to
    /// 1.7 times), a day-to-day swing of its level, and persistent noise that carries from hour to hour. Off for the sample file.
    /// </summary>
    public bool Bursty { get; init; }
}
