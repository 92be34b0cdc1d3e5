namespace Forecasting.Core.Planning;

/// <summary>One recommendation with its numbers and the reason behind them.</summary>
public sealed record Recommendation(RecommendationKind Kind, Severity Severity, string Subject, string Title, string Reason);
