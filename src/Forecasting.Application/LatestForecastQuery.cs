using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;
using Forecasting.Data.Stores;

namespace Forecasting.Application;

/// <summary>
/// The latest stored forecast run of a target and the plan stored with it; no usage is read. The one reader of
/// "latest run + plan": the report, the conditions, the notifier and the API (which keeps the answer in its own
/// cache around this query) all read through here.
/// </summary>
public sealed class LatestForecastQuery(IWorkspaceSource workspaces)
{
    /// <summary>The run with its plan, or why there is none.</summary>
    public async Task<UseCaseResult<StoredForecast>> GetAsync(ForecastTarget target, CancellationToken cancellationToken)
    {
        var run = await RunAsync(target, cancellationToken);
        if (run is null)
        {
            return UseCase.Unavailable<StoredForecast>($"no stored forecast for target {target.Name()}; run '{Hints.Command("forecast", target)}' first");
        }

        return UseCase.Ok(new StoredForecast(run, await PlanAsync(run, cancellationToken)));
    }

    /// <summary>The latest run, or null when none is stored.</summary>
    public async Task<ForecastRun?> RunAsync(ForecastTarget target, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        return await workspace.Store.LatestForecastAsync(target, cancellationToken);
    }

    /// <summary>Which run <see cref="RunAsync"/> would read now (one row), or null when none is stored.</summary>
    public async Task<ForecastRunStamp?> StampAsync(ForecastTarget target, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        return await workspace.Store.LatestForecastStampAsync(target, cancellationToken);
    }

    /// <summary>The plan stored with <paramref name="run"/>, or null when it was stored without one (or a newer run has replaced it).</summary>
    public async Task<Plan?> PlanAsync(ForecastRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var workspace = await workspaces.GetAsync(cancellationToken);
        return PlanDocument.Deserialize(await workspace.Store.LatestPlanAsync(run.Target, cancellationToken), run);
    }

    /// <summary>Why a run has no plan to serve.</summary>
    public static string PlanMissing(ForecastRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return $"the latest {run.Target.Name()} forecast ({run.ModelVersion}, {run.GeneratedAt:u}) has no stored plan; the next hourly refresh or 'forecasting forecast' stores one";
    }
}
