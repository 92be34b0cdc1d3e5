using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.ML.Prediction;
using Forecasting.ML.Registry;

namespace Forecasting.Application;

/// <summary>
/// Forecast every series of a target from its champion, plan it (cost with coherent bands, summaries,
/// recommendations) and store the run with its plan in one transaction. The CLI's <c>forecast</c>, the
/// demo, the hourly refresh, the retrain and a rollback all forecast through here.
/// </summary>
public sealed class ForecastUseCase(Workspace workspace)
{
    public async Task<UseCaseResult<ForecastResult>> RunAsync(ForecastTarget target, int horizon, CancellationToken cancellationToken)
    {
        var loaded = await UsageData.LoadAsync(workspace, target, cancellationToken);
        return await loaded.ThenAsync(data => RunAsync(data, horizon, cancellationToken));
    }

    public async Task<UseCaseResult<ForecastResult>> RunAsync(UsageData data, int horizon, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var registry = workspace.Registry;
        if (registry.Champion(ModelRegistry.NameOf(data.Target)) is null)
        {
            return UseCase.Unavailable<ForecastResult>(
                $"no champion model for target {data.Target.Name()} in {registry.Root}; run '{Hints.Command("train", data.Target)}' first");
        }

        var run = await Task.Run(() => new Predictor(registry, workspace.Time).Forecast(data.Series, data.Target, horizon, cancellationToken), cancellationToken);
        if (run is null)
        {
            return UseCase.Unavailable<ForecastResult>($"no series to forecast for target {data.Target.Name()}");
        }

        var plan = PlanBuilder.Build(workspace, run, data);
        await workspace.Store.SaveForecastAsync(run, PlanDocument.Serialize(plan), cancellationToken);
        var calendar = PlanBuilder.CalendarWarning(workspace, registry.Load(ModelRegistry.NameOf(data.Target), run.ModelVersion));
        return UseCase.Ok(new ForecastResult(run, plan, data) { CalendarWarning = calendar });
    }

    /// <summary>The latest stored run of a target with its stored plan; no usage is read.</summary>
    public async Task<UseCaseResult<StoredForecast>> LatestAsync(ForecastTarget target, CancellationToken cancellationToken)
    {
        var run = await workspace.Store.LatestForecastAsync(target, cancellationToken);
        if (run is null)
        {
            return UseCase.Unavailable<StoredForecast>($"no stored forecast for target {target.Name()}; run '{Hints.Command("forecast", target)}' first");
        }

        var plan = PlanDocument.Deserialize(await workspace.Store.LatestPlanAsync(target, cancellationToken), run);
        return UseCase.Ok(new StoredForecast(run, plan));
    }
}
