namespace Forecasting.Api.Contracts;

/// <summary>A series the latest forecast left out, and why (<c>too new to forecast: 3 h</c>, or its models' errors).</summary>
public sealed record SkippedSeriesItem(string Key, string Reason);
