using Forecasting.Core.Forecasting;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;

namespace Forecasting.Core.Planning.Recommendations;

/// <summary>
/// What the recommendation rules read: the planner's input and settings, the price table, the usage rows of the recent
/// price-mix window, the forecast's series with their keys (in forecast order) and the cost of each series.
/// </summary>
internal sealed class PlanContext(
    PlanInput input,
    PlanningSettings settings,
    IReadOnlyList<HourlyUsage> recent,
    IReadOnlyList<KeyedForecast> series,
    IReadOnlyDictionary<SeriesKey, SeriesCost> costs)
{
    private readonly Dictionary<SeriesKey, SeriesForecast> _byKey = ByKey(series);

    public PlanInput Input => input;

    public ForecastRun Forecast => input.Forecast;

    public ForecastTarget Target => input.Target;

    public PlanningSettings Settings => settings;

    public PriceTable Prices => settings.PriceTable;

    public MoneyFormat Money { get; } = new(settings.Currency, settings.PerUsd);

    /// <summary>The usage rows of the recent window the prices are mixed over.</summary>
    public IReadOnlyList<HourlyUsage> Recent => recent;

    /// <summary>The forecast's series with their keys, in the forecast's order.</summary>
    public IReadOnlyList<KeyedForecast> Series => series;

    public IReadOnlyDictionary<SeriesKey, SeriesCost> Costs => costs;

    /// <summary>The forecast of a series (the first, as <see cref="ForecastRun.Find"/>), or null.</summary>
    public SeriesForecast? Find(SeriesKey key) => _byKey.GetValueOrDefault(key);

    internal static Dictionary<SeriesKey, SeriesForecast> ByKey(IEnumerable<KeyedForecast> series)
    {
        var byKey = new Dictionary<SeriesKey, SeriesForecast>();
        foreach (var s in series)
        {
            byKey.TryAdd(s.Key, s.Forecast);
        }

        return byKey;
    }
}
