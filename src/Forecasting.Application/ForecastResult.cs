using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;

namespace Forecasting.Application;

/// <summary>A stored forecast run, its plan, and the usage it was made from.</summary>
public sealed record ForecastResult(ForecastRun Run, Plan Plan, UsageData Data)
{
    /// <summary>Set when the settings' calendar differs from the one the champion was trained and forecasts with (also a plan warning).</summary>
    public string? CalendarWarning { get; init; }
}
