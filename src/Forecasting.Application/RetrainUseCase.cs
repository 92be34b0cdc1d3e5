using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;

namespace Forecasting.Application;

/// <summary>
/// The weekly (or requested) retrain: skipped when the stored usage is unchanged since the champion's (or
/// the latest version's) training, as the same data gives the same model; otherwise train, and when the
/// version is promoted, forecast from it and write the report, so the new champion is served and shown at once.
/// </summary>
public sealed class RetrainUseCase(TrainUseCase train, ForecastUseCase forecast, ReportUseCase report, UnchangedSince unchanged)
{
    public async Task<UseCaseResult<RetrainResult>> RunAsync(ForecastTarget target, string reportFolder, TimeSpan waitForOtherTraining, CancellationToken cancellationToken)
    {
        if (await unchanged.TargetAsync(target, cancellationToken) is { } same)
        {
            return UseCase.Ok(new RetrainResult(null, same.Version, $"skipped: usage unchanged since {same.Version} was trained ({same.Role}; data to {same.LastHour:yyyy-MM-ddTHH:mm}Z)"));
        }

        var trained = await train.RunAsync(target, new BacktestOptions(), null, waitForOtherTraining, cancellationToken);
        if (trained.Value is not { } result)
        {
            return UseCase.Unavailable<RetrainResult>(trained.Problem!);
        }

        if (result.Outcome.Promoted)
        {
            await forecast.RunAsync(result.Data, Horizon.Default, cancellationToken);
            await report.WriteAsync(result.Data, reportFolder, cancellationToken);
        }

        return UseCase.Ok(new RetrainResult(result, null, null));
    }
}
