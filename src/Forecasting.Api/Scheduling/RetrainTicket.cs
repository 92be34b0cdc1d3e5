namespace Forecasting.Api.Scheduling;

/// <summary>The retrain a request got: a new one, or the one already queued or running (<see cref="Existing"/>).</summary>
public sealed record RetrainTicket(string Id, string State, DateTimeOffset? RequestedAt, string? Reason, bool Existing);
