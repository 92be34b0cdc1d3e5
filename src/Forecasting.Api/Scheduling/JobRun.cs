namespace Forecasting.Api.Scheduling;

/// <summary>One execution of a scheduled job, as /health and /api/v1/jobs show it.</summary>
/// <param name="ScheduledFor">The trigger's scheduled fire time: in a cluster, each one runs on exactly one node.</param>
/// <param name="Outcome">The state: running, succeeded, failed or skipped (<see cref="JobStates"/>).</param>
/// <param name="Recovering">True when this node runs again a fire that was in progress on a node that stopped (Quartz recovery).</param>
/// <param name="Id">The retrain request's id for a requested retrain, else the fire's id.</param>
/// <param name="ModelVersion">The model version the run registered (retrain), or forecast from (refresh), or found unchanged (skipped retrain).</param>
public sealed record JobRun(
    string Job,
    string Instance,
    DateTimeOffset? ScheduledFor,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string Outcome,
    string? Detail,
    bool Recovering = false,
    string? Id = null,
    string? ModelVersion = null,
    string? Reason = null,
    DateTimeOffset? RequestedAt = null)
{
    public double? DurationSeconds => FinishedAt is { } end ? (end - StartedAt).TotalSeconds : null;
}
