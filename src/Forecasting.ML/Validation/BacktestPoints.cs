using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;

namespace Forecasting.ML.Validation;

/// <summary>
/// Every model's backtest forecasts, kept compactly: one block per fold × model × series holding
/// only the forecast values (the actuals are read from the series itself); a <see cref="BacktestPoint"/>
/// is made when it is read. About 8 bytes a point instead of a 120-byte object: at 1,000 series the
/// 13 M points of a default backtest take about 110 MB, not 1.6 GB. Points come in the order they
/// were added (fold, model, series, step).
/// </summary>
public sealed class BacktestPoints(int horizon) : HourBlocks<BacktestBlock>(horizon)
{
    private Dictionary<string, List<BacktestBlock>>? _bySeries;

    /// <summary>Adds one model's forecast of one series from one origin (the index of the last hour it saw).</summary>
    public void Add(NamedSeries series, int fold, int origin, string model, double scale, ReadOnlySpan<double> forecast)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentOutOfRangeException.ThrowIfLessThan(forecast.Length, Horizon);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(origin + Horizon, series.Values.Length - 1);
        Append(new BacktestBlock(series, fold, origin, model, scale, forecast[..Horizon].ToArray()));
        _bySeries = null;
    }

    /// <summary>The folds that have points, in order.</summary>
    public IEnumerable<int> Folds() => Blocks.Select(b => b.Fold).Distinct().Order();

    /// <summary>One series' points, every fold and model, in the order they were added (an index built once).</summary>
    public IEnumerable<BacktestPoint> OfSeries(string series) => BlocksOf(series).SelectMany(PointsOf);

    /// <summary>One series' blocks, every fold and model, in the order they were added (an index built once).</summary>
    public IReadOnlyList<BacktestBlock> BlocksOf(string series)
    {
        ArgumentNullException.ThrowIfNull(series);
        // Read from several threads at once (series are served in parallel): built whole, then published.
        var index = _bySeries ??= Blocks.GroupBy(b => b.Series.Name).ToDictionary(g => g.Key, g => g.ToList());
        return index.TryGetValue(series, out var blocks) ? blocks : [];
    }

    /// <summary>The points of the blocks whose fold (and model, when given) match, without making the others.</summary>
    public IEnumerable<BacktestPoint> InFolds(Func<int, bool> fold, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(fold);
        return Blocks.Where(b => fold(b.Fold) && (model is null || b.Model == model)).SelectMany(PointsOf);
    }

    /// <summary>
    /// Visits, in order, the hours of every block (one model's forecast of one series from one origin) from step 1 to
    /// <paramref name="lastStep"/>(fold, series, model), 0 to skip the block, without making a point of each: what
    /// choosing and calibrating read, millions of times at 1,000 series.
    /// </summary>
    public void ForEachHour(Func<int, string, string, int> lastStep, HourVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(lastStep);
        ArgumentNullException.ThrowIfNull(visit);
        foreach (var block in Blocks)
        {
            var last = Math.Min(Horizon, lastStep(block.Fold, block.Series.Name, block.Model));
            var values = block.Series.Values;
            for (var step = 1; step <= last; step++)
            {
                visit(block.Series.Name, block.Model, step, values[block.Origin + step], block.Forecast[step - 1], block.Scale);
            }
        }
    }

}

/// <summary>One model's forecast of one series from one origin (<see cref="Origin"/>: the index of the last hour it saw).</summary>
public sealed record BacktestBlock(NamedSeries Series, int Fold, int Origin, string Model, double Scale, double[] Forecast) : IHourBlock
{
    BacktestPoint IHourBlock.Point(int step) => Point(step);

    /// <summary>The point of one step (1 to the horizon), its actual read from the series; named <paramref name="model"/> when given.</summary>
    public BacktestPoint Point(int step, string? model = null) =>
        new(Series.Name, Fold, Origin, step, Series.Start?.AddHours(Origin + step), Actual(step), Forecast[step - 1], model ?? Model, Scale);

    /// <summary>The actual value of one step (NaN for a gap).</summary>
    public double Actual(int step) => Series.Values[Origin + step];
}

/// <summary>One backtest hour as <see cref="BacktestPoints.ForEachHour"/> reads it.</summary>
public delegate void HourVisitor(string series, string model, int step, double actual, double forecast, double scale);
