using Forecasting.Core.Forecasting;

namespace Forecasting.Application;

/// <summary>The registry unit, the champion before and after, and the forecast made from the new champion (or why none was).</summary>
public sealed record RollbackResult(string Name, string? From, string To, ForecastRun? Forecast, string? NoForecast);
