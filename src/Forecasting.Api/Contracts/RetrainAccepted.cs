namespace Forecasting.Api.Contracts;

/// <summary>
/// The retrain that a request got: a new one (<c>queued</c>), or the one already queued or running
/// (<see cref="AlreadyRequested"/>). Follow it at <c>/api/v1/jobs/{id}</c>.
/// </summary>
public sealed record RetrainAccepted(string Id, string Target, DateTimeOffset? RequestedAt, string Status, bool AlreadyRequested);
