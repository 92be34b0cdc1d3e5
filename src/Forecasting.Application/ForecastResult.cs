using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;

namespace Forecasting.Application;

/// <summary>A stored forecast run, its plan, and the usage it was made from.</summary>
public sealed record ForecastResult(ForecastRun Run, Plan Plan, UsageData Data);
