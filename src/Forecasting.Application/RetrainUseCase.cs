using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.ML.Registry;

namespace Forecasting.Application;

/// <summary>
/// The weekly (or requested) retrain: skipped when the stored usage is unchanged since the champion's (or
/// the latest version's) training, as the same data gives the same model; otherwise train, and when the
/// version is promoted, forecast from it and write the report, so the new champion is served and shown at once.
/// </summary>
public sealed class RetrainUseCase(Workspace workspace)
{
    public async Task<UseCaseResult<RetrainResult>> RunAsync(ForecastTarget target, string reportFolder, TimeSpan waitForOtherTraining, CancellationToken cancellationToken)
    {
        if (await UnchangedSinceAsync(target, cancellationToken) is { } same)
        {
            return UseCase.Ok(new RetrainResult(null, same.Version, $"skipped: usage unchanged since {same.Version} was trained ({same.Role}; data to {same.LastHour:yyyy-MM-ddTHH:mm}Z)"));
        }

        var trained = await new TrainUseCase(workspace).RunAsync(target, new BacktestOptions(), null, waitForOtherTraining, cancellationToken);
        if (trained.Value is not { } result)
        {
            return UseCase.Unavailable<RetrainResult>(trained.Problem!);
        }

        if (result.Outcome.Promoted)
        {
            await new ForecastUseCase(workspace).RunAsync(result.Data, Horizon.Default, cancellationToken);
            await new ReportUseCase(workspace).WriteAsync(result.Data, reportFolder, cancellationToken);
        }

        return UseCase.Ok(new RetrainResult(result, null, null));
    }

    /// <summary>
    /// The champion, or else the newest version (trained on these data and not promoted: training again gives
    /// the same answer), whose recorded usage fingerprint equals the store's now; one summary query, no rows read.
    /// </summary>
    private async Task<(string Version, string Role, DateTimeOffset? LastHour)?> UnchangedSinceAsync(ForecastTarget target, CancellationToken cancellationToken)
    {
        var summary = await workspace.Store.SummarizeAsync(cancellationToken);
        if (summary.Rows == 0)
        {
            return null;
        }

        var now = UsageFingerprint.Of(summary);
        var name = ModelRegistry.NameOf(target);
        // A calendar (holidays, time zones) changed in the settings since is new input too: train with it.
        if (workspace.Registry.ChampionManifest(name) is { } champion && champion.UsageFingerprint == now && PlanBuilder.CalendarWarning(workspace, champion) is null)
        {
            return (champion.Version, "the champion", summary.LastHour);
        }

        var newest = workspace.Registry.List(name).MaxBy(m => m.TrainedAt);
        return newest is not null && newest.UsageFingerprint == now && PlanBuilder.CalendarWarning(workspace, newest) is null ? (newest.Version, "not promoted", summary.LastHour) : null;
    }
}
