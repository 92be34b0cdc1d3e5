namespace Forecasting.Api.Scheduling;

/// <summary>One execution of a scheduled job, as /health shows it.</summary>
/// <param name="ScheduledFor">The trigger's scheduled fire time: in a cluster, each one runs on exactly one node.</param>
/// <param name="Recovering">True when this node runs again a fire that was in progress on a node that stopped (Quartz recovery).</param>
public sealed record JobRun(string Job, string Instance, DateTimeOffset? ScheduledFor, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Outcome, string? Detail, bool Recovering = false);
