using Forecasting.Core.Backtesting;
using Forecasting.Core.Series;
using Forecasting.Data.Ingest;

namespace Forecasting.Application;

/// <summary>
/// Shows the demo's four steps as they run (the CLI: a title, a spinner and what the step did): each method runs
/// the step it is given once and returns its result.
/// </summary>
public interface IDemoObserver
{
    Task<IngestOutcome> IngestAsync(string file, Func<Task<IngestOutcome>> ingest);

    Task<TrainResult> TrainAsync(ForecastTarget target, BacktestOptions options, Func<IProgress<string>?, Task<TrainResult>> train);

    /// <param name="folder">Where forecast.csv and backtest.csv are written.</param>
    Task<ForecastResult> ForecastAsync(string folder, Func<Task<ForecastResult>> forecast);

    Task<ReportResult> ReportAsync(Func<Task<ReportResult>> report);
}
