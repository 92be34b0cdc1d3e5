using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;

namespace Forecasting.ML.Registry;

/// <summary>The backtest a version was judged on, and its scores per model (the served one included).</summary>
public sealed record BacktestSummary(int Horizon, int Folds, int Step, List<ModelScore> Scores)
{
    public ModelScore? Served => Scores.FirstOrDefault(s => s.Model == ModelScore.Served);

    public ModelScore? Baseline => Scores.FirstOrDefault(s => ModelId.Parse(s.Model).IsBaseline);
}
