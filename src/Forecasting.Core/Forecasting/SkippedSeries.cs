namespace Forecasting.Core.Forecasting;

/// <summary>A series left out of a forecast or backtest, and why ("too new to forecast: 3 h"); the others go on without it.</summary>
public sealed record SkippedSeries(string Series, string Reason);
