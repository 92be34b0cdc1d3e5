using Forecasting.Api.Application;
using Forecasting.Api.Services;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Planning;
using Forecasting.ML.Registry;
using Forecasting.ML.Training;
using Microsoft.Extensions.Options;
using Quartz;

namespace Forecasting.Api.Scheduling;

/// <summary>
/// Weekly: backtest, register, promote only if better; after a promotion, forecast and write the
/// report. One at a time across the cluster (the job store holds the lock); a CLI training holding the
/// registry's lock makes the job wait for it (up to 30 minutes).
/// </summary>
[DisallowConcurrentExecution]
internal sealed class RetrainJob(StoreConnection stores, ModelRegistry registry, PlanningSettings settings, IOptions<ApiOptions> options, TimeProvider time) : IJob
{
    public static readonly JobKey Key = new("retrain", "forecasting");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var store = await stores.GetAsync(cancellationToken);
        var data = await UsageData.LoadAsync(store, options.Value.ParsedTarget, settings.PriceTable, cancellationToken);
        var outcome = await Task.Run(() => new Trainer(registry, time).Train(data.Series, data.Target, new BacktestOptions(), null, cancellationToken, TimeSpan.FromMinutes(30)), cancellationToken);
        if (outcome.Promoted)
        {
            await new ForecastJob(store, registry, time).RunAsync(data, 168, cancellationToken);
            await new ReportJob(store, registry, settings, time).WriteAsync(data, options.Value.Reports, cancellationToken);
        }

        context.Result = $"{outcome.Manifest.Version}: {outcome.Decision}";
    }
}
