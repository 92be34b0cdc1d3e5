using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;

namespace Forecasting.Application;

/// <summary>
/// The main job on the sample usage, in one chain: ingest the file, train tokens (rolling-origin backtest of every
/// model, register, promote), forecast a week, write forecast.csv and backtest.csv to the folder, and write the
/// report to its <c>report</c> folder.
/// </summary>
public sealed class DemoUseCase(IngestUseCase ingest, TrainUseCase train, ForecastUseCase forecast, ReportUseCase report)
{
    /// <summary>The demo's target.</summary>
    public const ForecastTarget Target = ForecastTarget.Tokens;

    public async Task<DemoResult> RunAsync(string samples, string folder, IDemoObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var ingested = await observer.IngestAsync(samples, () => ingest.RunAsync(samples, skipInvalid: false, cancellationToken));
        if (ingested.Refused)
        {
            return new DemoResult(ingested);
        }

        var options = new BacktestOptions();
        var training = await observer.TrainAsync(Target, options, async progress =>
            (await train.RunAsync(Target, options, progress, TimeSpan.Zero, cancellationToken)).Require());

        var full = Path.GetFullPath(folder);
        var forecasted = await observer.ForecastAsync(full, async () =>
        {
            var result = (await forecast.RunAsync(training.Data, Horizon.Default, cancellationToken)).Require();
            Directory.CreateDirectory(full);
            await ResultFiles.WriteForecastAsync(result.Run, Path.Combine(full, "forecast.csv"), cancellationToken);
            await ResultFiles.WriteBacktestAsync(training.Outcome.Backtest, Path.Combine(full, "backtest.csv"), cancellationToken);
            return result;
        });

        var written = await observer.ReportAsync(async () =>
            (await report.WriteAsync(Target, Path.Combine(full, "report"), cancellationToken)).Require());
        return new DemoResult(ingested, training, forecasted, written);
    }
}
