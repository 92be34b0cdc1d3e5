namespace Forecasting.Core.Planning;

/// <summary>A forecast day (UTC) of one series: tokens and cost, p50 with the day's p10/p90 sums.</summary>
public sealed record DailyTotal(string Series, DateOnly Day, double Tokens, double? CostUsd, double? CostP10, double? CostP90);
