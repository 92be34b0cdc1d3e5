using Forecasting.Core.Backtesting;
using Forecasting.Core.Series;
using Forecasting.ML.Training;

namespace Forecasting.Application;

/// <summary>
/// Backtest every model on the stored series of a target, register a version and promote it only if
/// better (<see cref="Trainer"/>), with the registry's training lock held. Used by the CLI's
/// <c>train</c>, the demo and the weekly retrain.
/// </summary>
public sealed class TrainUseCase(IWorkspaceSource workspaces)
{
    /// <param name="waitForOtherTraining">How long to wait for another training of the target to finish before refusing (the CLI: not at all).</param>
    public async Task<UseCaseResult<TrainResult>> RunAsync(ForecastTarget target, BacktestOptions options, IProgress<string>? progress, TimeSpan waitForOtherTraining, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        var loaded = await UsageData.LoadAsync(workspace, target, cancellationToken);
        if (loaded.Value is not { } data)
        {
            return UseCase.Unavailable<TrainResult>(loaded.Problem!);
        }

        var outcome = await Task.Run(
            () => new Trainer(workspace.Registry, workspace.Time).Train(data.Series, target, options, progress, cancellationToken, waitForOtherTraining, UsageFingerprint.Of(data.Rows), workspace.Settings.Features()),
            cancellationToken);
        return UseCase.Ok(new TrainResult(outcome, data));
    }
}
