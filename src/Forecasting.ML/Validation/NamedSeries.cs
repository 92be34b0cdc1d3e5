namespace Forecasting.ML.Validation;

/// <summary>A series to backtest: its name, values (NaN gaps) and, when known, its first hour.</summary>
public sealed record NamedSeries(string Name, double[] Values, DateTimeOffset? Start = null);
