using Forecasting.Api.Scheduling;

namespace Forecasting.Api.Contracts;

/// <summary>The job scheduler: running or not, its job store, this node's id, and the last job runs here.</summary>
public sealed record SchedulerHealth(string Status, string JobStore, string InstanceId, IReadOnlyList<JobRun> RecentRuns);
