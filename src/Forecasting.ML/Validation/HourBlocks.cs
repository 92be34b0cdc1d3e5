using System.Collections;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;

namespace Forecasting.ML.Validation;

/// <summary>A forecast of one series from one origin, horizon hours long, that makes the point of a step when it is read.</summary>
public interface IHourBlock
{
    /// <summary>The point of one step (1 to the horizon).</summary>
    BacktestPoint Point(int step);
}

/// <summary>
/// Blocks of <see cref="Horizon"/> forecast hours read as a list of points, made when read, in the order the blocks were
/// added: what <see cref="BacktestPoints"/> (every model's forecasts) and <see cref="ServedPoints"/> (the served ones) share.
/// </summary>
public abstract class HourBlocks<TBlock> : IReadOnlyList<BacktestPoint>
    where TBlock : IHourBlock
{
    private readonly List<TBlock> _blocks = [];

    protected HourBlocks(int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        Horizon = horizon;
    }

    public int Horizon { get; }

    public int Count => _blocks.Count * Horizon;

    /// <summary>Every block, in the order added.</summary>
    public IReadOnlyList<TBlock> Blocks => _blocks;

    public BacktestPoint this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _blocks[index / Horizon].Point((index % Horizon) + 1);
        }
    }

    /// <summary>The points of one block, step 1 to the horizon.</summary>
    public IEnumerable<BacktestPoint> PointsOf(TBlock block)
    {
        for (var step = 1; step <= Horizon; step++)
        {
            yield return block.Point(step);
        }
    }

    public IEnumerator<BacktestPoint> GetEnumerator() => _blocks.SelectMany(PointsOf).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Appends a block the subclass has checked.</summary>
    protected void Append(TBlock block) => _blocks.Add(block);
}
