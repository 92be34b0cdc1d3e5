using Forecasting.Data.Collect;

namespace Forecasting.Application;

/// <summary>
/// What a refresh did: the single source's collection (null: none configured), each configured source's outcome, and
/// the forecast stored (null when the target has no champion yet: nothing to forecast from).
/// </summary>
public sealed record RefreshResult(CollectOutcome? Collected, IReadOnlyList<SourceResult> Sources, ForecastResult? Forecast);
