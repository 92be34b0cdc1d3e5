namespace Forecasting.Api.Services;

/// <summary>A request to retrain the models of a target.</summary>
public sealed record RetrainRequest(Guid Id, string Target, DateTimeOffset RequestedAt, string? Reason);
