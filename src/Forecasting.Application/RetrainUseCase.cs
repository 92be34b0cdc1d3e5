using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;

namespace Forecasting.Application;

/// <summary>
/// The weekly retrain: train; when the version is promoted, forecast from it and write the report, so
/// the new champion is served and shown at once.
/// </summary>
public sealed class RetrainUseCase(Workspace workspace)
{
    public async Task<UseCaseResult<TrainResult>> RunAsync(ForecastTarget target, string reportFolder, TimeSpan waitForOtherTraining, CancellationToken cancellationToken)
    {
        var trained = await new TrainUseCase(workspace).RunAsync(target, new BacktestOptions(), null, waitForOtherTraining, cancellationToken);
        if (trained.Value is { Outcome.Promoted: true } result)
        {
            await new ForecastUseCase(workspace).RunAsync(result.Data, Horizon.Default, cancellationToken);
            await new ReportUseCase(workspace).WriteAsync(result.Data, reportFolder, cancellationToken);
        }

        return trained;
    }
}
