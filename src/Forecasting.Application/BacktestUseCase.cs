using Forecasting.Core.Backtesting;
using Forecasting.Core.Series;
using Forecasting.ML.Models.FastTree;
using Forecasting.ML.Training;

namespace Forecasting.Application;

/// <summary>The rolling-origin backtest of every model on the stored series of a target, as training runs it, without registering anything.</summary>
public sealed class BacktestUseCase(IWorkspaceSource workspaces)
{
    public async Task<UseCaseResult<BacktestRun>> RunAsync(ForecastTarget target, BacktestOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var workspace = await workspaces.GetAsync(cancellationToken);
        var loaded = await UsageData.LoadAsync(workspace, target, cancellationToken);
        if (loaded.Value is not { } data)
        {
            return UseCase.Unavailable<BacktestRun>(loaded.Problem!);
        }

        var (result, _) = await Task.Run(() => Trainer.RunBacktest(data.Series, new FastTreeOptions { Features = workspace.Settings.Features() }, options, progress, cancellationToken), cancellationToken);
        if (result.Served.Count == 0)
        {
            return UseCase.Unavailable<BacktestRun>(
                $"not enough history for one origin with a {options.Horizon} h horizon: the longest series needs {result.Options.NeededHistory} hours and has {data.Series.Select(s => s.Length).DefaultIfEmpty(0).Max()}");
        }

        return UseCase.Ok(new BacktestRun(result, data.Series.Count, target));
    }
}
