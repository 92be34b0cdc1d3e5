using Forecasting.Core.Backtesting;
using Forecasting.ML.Registry;

namespace Forecasting.ML.Training;

/// <summary>A registered version, whether it became champion and why, and the backtest it was judged on.</summary>
public sealed record TrainingOutcome(ModelManifest Manifest, bool Promoted, string Decision, BacktestResult Backtest);
