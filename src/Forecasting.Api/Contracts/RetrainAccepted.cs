namespace Forecasting.Api.Contracts;

/// <summary>A retrain request was recorded; the scheduler runs it.</summary>
public sealed record RetrainAccepted(Guid Id, string Target, DateTimeOffset RequestedAt, string Status);
