namespace Forecasting.Api.Scheduling;

/// <summary>The states of a job run as <c>/api/v1/jobs</c> and <c>/health</c> show them.</summary>
public static class JobStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}
