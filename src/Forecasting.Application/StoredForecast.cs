using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;

namespace Forecasting.Application;

/// <summary>The latest stored forecast run of a target and the plan stored with it (null for a run stored before plans were).</summary>
public sealed record StoredForecast(ForecastRun Run, Plan? Plan);
