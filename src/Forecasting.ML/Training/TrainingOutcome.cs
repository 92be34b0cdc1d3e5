using Forecasting.Core.Backtesting;
using Forecasting.ML.Registry;

namespace Forecasting.ML.Training;

/// <summary>
/// A registered version, whether it became champion and why, and the backtest it was judged on: its
/// served points and scores (every model's points are dropped once selection and calibration are made).
/// </summary>
public sealed record TrainingOutcome(ModelManifest Manifest, bool Promoted, string Decision, BacktestResult Backtest);
