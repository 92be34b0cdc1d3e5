namespace Forecasting.Application;

/// <summary>
/// Something worth telling people about, identified by <see cref="Key"/> (the same condition has the same key
/// until it clears, so a notifier sends it once): a budget crossing, an anomaly, stale data, a failed job.
/// </summary>
/// <param name="Kind">budget, anomaly, stale or job_failed.</param>
public sealed record Condition(string Kind, string Key, string Severity, string Title, string Message);
