namespace Forecasting.Api.Contracts;

/// <summary>One forecast hour: the median and the 80% interval.</summary>
public sealed record AutoscalePoint(DateTimeOffset Hour, double P10, double P50, double P90);
