using Forecasting.Application;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;

namespace Forecasting.Api.Services;

/// <summary>
/// The plan stored with a forecast run (made once, by the forecast): the API reads it and never reads
/// usage or runs the planner per request. Kept while the served run is the same run.
/// </summary>
internal sealed class PlanReader(LatestForecastQuery latestForecast)
{
    private (ForecastRun Run, Plan? Plan)? _cached;

    /// <summary>The plan of <paramref name="run"/>, or null when the run was stored without one (or a newer run has replaced it).</summary>
    public async Task<Plan?> ForAsync(ForecastRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (_cached is { } cached && ReferenceEquals(cached.Run, run))
        {
            return cached.Plan;
        }

        var plan = await latestForecast.PlanAsync(run, cancellationToken);
        _cached = (run, plan);
        return plan;
    }

    public static string Missing(ForecastRun run) => LatestForecastQuery.PlanMissing(run);
}
