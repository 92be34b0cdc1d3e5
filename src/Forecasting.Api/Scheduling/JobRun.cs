namespace Forecasting.Api.Scheduling;

/// <summary>One execution of a scheduled job, as /health shows it.</summary>
public sealed record JobRun(string Job, string Instance, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Outcome, string? Detail);
