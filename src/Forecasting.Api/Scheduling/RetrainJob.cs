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

    private static readonly TimeSpan RecoveryWindow = TimeSpan.FromHours(24);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Recovering && !MayRecover())
        {
            // A retrain that killed its node (out of memory, say) would otherwise be recovered by
            // every survivor and every restart, for ever.
            context.Result = $"not recovered: a retrain was already recovered within {RecoveryWindow.TotalHours:N0} h; it runs at the next schedule or POST /api/v1/retrain";
            return;
        }

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

    /// <summary>At most one recovered retrain per target and day, recorded beside the models (shared by the cluster's nodes).</summary>
    private bool MayRecover()
    {
        var marker = Path.Combine(registry.Root, Trainer.RegistryName(options.Value.ParsedTarget), ".last-recovery");
        var now = time.GetUtcNow();
        if (File.Exists(marker)
            && DateTimeOffset.TryParse(File.ReadAllText(marker), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var last)
            && now - last < RecoveryWindow)
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
        File.WriteAllText(marker, now.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }
}
