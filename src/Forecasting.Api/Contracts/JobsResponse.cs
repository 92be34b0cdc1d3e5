namespace Forecasting.Api.Contracts;

/// <summary>The queued retrain (if any) first, then this instance's recent runs, newest first.</summary>
public sealed record JobsResponse(string InstanceId, IReadOnlyList<JobInfo> Jobs);
