namespace Forecasting.Api.Contracts;

/// <summary>Optional body of <c>POST /api/v1/retrain</c>.</summary>
public sealed record RetrainBody(string? Reason);
