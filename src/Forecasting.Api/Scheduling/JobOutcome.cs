namespace Forecasting.Api.Scheduling;

/// <summary>What a job sets as its Quartz result: its state (succeeded or skipped), what it did, and the model version it produced or used.</summary>
public sealed record JobOutcome(string State, string Detail, string? ModelVersion = null)
{
    public override string ToString() => Detail;
}
