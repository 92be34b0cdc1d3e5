using Forecasting.Core.Backtesting;
using Forecasting.Data.Ingest;

namespace Forecasting.Application;

/// <summary>What the demo did; when the sample file was refused, only <see cref="Ingested"/> (nothing else ran).</summary>
public sealed record DemoResult(IngestOutcome Ingested, TrainResult? Training = null, ForecastResult? Forecast = null, ReportResult? Report = null)
{
    /// <summary>The served forecast's backtest score.</summary>
    public ModelScore? Served => Training?.Outcome.Backtest.Scores.First(s => s.Model == ModelScore.Served);
}
