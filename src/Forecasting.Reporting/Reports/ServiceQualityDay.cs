namespace Forecasting.Reporting.Reports;

/// <summary>
/// One model's service quality on one UTC day: latency p50 and p95 (the request-weighted mean of the hours'
/// percentiles: hourly rows do not hold the requests themselves), errors over requests, and the requests behind them.
/// Null when no hour of the day reported it.
/// </summary>
public sealed record ServiceQualityDay(string Model, DateOnly Day, long Requests, double? LatencyMsP50, double? LatencyMsP95, double? ErrorRate);
