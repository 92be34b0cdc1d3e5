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
public sealed class ForecastUseCase(IWorkspaceSource workspaces)
{
    public async Task<UseCaseResult<ForecastResult>> RunAsync(ForecastTarget target, int horizon, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        var loaded = await UsageData.LoadAsync(workspace, target, cancellationToken);
        return await loaded.ThenAsync(data => RunAsync(data, horizon, cancellationToken));
    }

    public async Task<UseCaseResult<ForecastResult>> RunAsync(UsageData data, int horizon, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var workspace = await workspaces.GetAsync(cancellationToken);
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
}
