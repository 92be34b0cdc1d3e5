namespace Forecasting.Api.Contracts;

/// <summary>One recommendation: kind (capacity, budget, cost, rate_limit, anomaly, model_health), severity (info, warning, critical), what it is about, and why.</summary>
public sealed record RecommendationItem(string Kind, string Severity, string Subject, string Title, string Reason);
