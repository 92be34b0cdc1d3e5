namespace Forecasting.Core.Forecasting;

/// <summary>The forecast of one series: which model made it and its hourly points after the origin.</summary>
public sealed record SeriesForecast(string Series, string Model, IReadOnlyList<ForecastPoint> Points);
