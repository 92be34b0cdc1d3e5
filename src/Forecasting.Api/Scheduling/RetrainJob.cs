using Forecasting.Api.Services;
using Forecasting.Application;
using Forecasting.ML.Registry;
using Microsoft.Extensions.Options;
using Quartz;

namespace Forecasting.Api.Scheduling;

/// <summary>
/// Weekly: the retrain use case (backtest, register, promote only if better; after a promotion,
/// forecast and write the report). One at a time across the cluster (the job store holds the lock);
/// a CLI training holding the registry's lock makes the job wait for it (up to 30 minutes).
/// </summary>
[DisallowConcurrentExecution]
internal sealed class RetrainJob(WorkspaceProvider workspaces, ForecastReader forecasts, IOptions<ApiOptions> options) : IJob
{
    public static readonly JobKey Key = new("retrain", "forecasting");

    private static readonly TimeSpan RecoveryWindow = TimeSpan.FromHours(24);

    private static readonly TimeSpan WaitForOtherTraining = TimeSpan.FromMinutes(30);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var workspace = await workspaces.GetAsync(cancellationToken);
        var target = options.Value.ParsedTarget;
        // A retrain that killed its node (out of memory, say) would otherwise be recovered by every
        // survivor and every restart, for ever.
        if (context.Recovering && !workspace.Registry.TryClaimRecovery(ModelRegistry.NameOf(target), workspace.Time.GetUtcNow(), RecoveryWindow))
        {
            context.Result = new JobOutcome(JobStates.Skipped, $"not recovered: a retrain was already recovered within {RecoveryWindow.TotalHours:N0} h; it runs at the next schedule or POST /api/v1/retrain");
            return;
        }

        var retrain = (await new RetrainUseCase(workspace).RunAsync(target, options.Value.Reports, WaitForOtherTraining, cancellationToken)).Require();
        // A promotion stored a new forecast: this node serves it from the next request, not after the reader's cache expires.
        forecasts.Forget();
        context.Result = retrain.Trained is { } trained
            ? new JobOutcome(JobStates.Succeeded, $"{trained.Outcome.Manifest.Version}: {trained.Outcome.Decision}", trained.Outcome.Manifest.Version)
            : new JobOutcome(JobStates.Skipped, retrain.Skipped!, retrain.Version);
    }
}
