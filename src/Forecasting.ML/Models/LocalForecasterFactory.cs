using Forecasting.Core.Forecasting;

namespace Forecasting.ML.Models;

/// <summary>Fits a new instance of a per-series model on each history, in parallel.</summary>
public sealed class LocalForecasterFactory(string name, Func<SeriesHistory, IForecaster> create) : IForecasterFactory
{
    /// <summary>A model of the engine's, named by its identity.</summary>
    public LocalForecasterFactory(ModelId id, Func<SeriesHistory, IForecaster> create)
        : this(id?.ToString() ?? throw new ArgumentNullException(nameof(id)), create)
    {
    }

    public string Name => name;

    public IReadOnlyList<IForecaster> FitAll(IReadOnlyList<SeriesHistory> histories, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(histories);
        return Refresh(histories, new IForecaster?[histories.Count], cancellationToken);
    }

    /// <summary>Each series from its earlier fit's estimates where that forecaster is <see cref="IRefreshable"/>, else fitted anew.</summary>
    public IReadOnlyList<IForecaster> Refresh(IReadOnlyList<SeriesHistory> histories, IReadOnlyList<IForecaster?> earlier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(earlier);
        var fitted = new IForecaster[histories.Count];
        Parallel.For(0, histories.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            if (earlier[i] is IRefreshable refreshable && refreshable.Refresh(histories[i]) is { } refreshed)
            {
                fitted[i] = refreshed;
                return;
            }

            var model = create(histories[i]);
            model.Fit(histories[i].Values.Span);
            fitted[i] = model;
        });
        return fitted;
    }

    public static LocalForecasterFactory SeasonalNaive(int period = Horizon.HoursPerWeek) => new(ModelId.SeasonalNaive(period), _ => new SeasonalNaive(period));

    public static LocalForecasterFactory SeasonalMedian(int period = Horizon.HoursPerWeek, int cycles = 4) => new(ModelId.SeasonalMedian(period), _ => new SeasonalMedian(period, cycles));
}
