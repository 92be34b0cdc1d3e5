namespace Forecasting.Api.Contracts;

/// <summary>One job run, or a requested retrain not started yet (<c>queued</c>).</summary>
/// <param name="State">queued, running, succeeded, failed or skipped.</param>
/// <param name="Detail">What the run did, why it was skipped, or why it failed.</param>
/// <param name="ModelVersion">The version a retrain registered (or found unchanged), or the one a refresh forecast from.</param>
public sealed record JobInfo(
    string Id,
    string Job,
    string State,
    string? Instance,
    string? Reason,
    DateTimeOffset? RequestedAt,
    DateTimeOffset? ScheduledFor,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationSeconds,
    string? Detail,
    string? ModelVersion,
    bool Recovering);
