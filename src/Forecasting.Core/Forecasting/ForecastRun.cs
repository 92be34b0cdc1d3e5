using Forecasting.Core.Series;

namespace Forecasting.Core.Forecasting;

/// <summary>
/// One forecast of every series of <see cref="Target"/>, from a common origin (the last hour of data), by one model
/// version, <see cref="Horizon"/> hours ahead. What the store keeps, the API serves and reports read.
/// </summary>
public sealed record ForecastRun(
    ForecastTarget Target,
    string ModelVersion,
    DateTimeOffset GeneratedAt,
    DateTimeOffset Origin,
    int Horizon,
    IReadOnlyList<SeriesForecast> Series)
{
    /// <summary>Series that could not be forecast (too new, or their model failed), each with the reason; the others are in <see cref="Series"/>.</summary>
    public IReadOnlyList<SkippedSeries> Skipped { get; init; } = [];

    /// <summary>The end of the last hour forecast: every series' points are the <see cref="Horizon"/> hours after <see cref="Origin"/>.</summary>
    public DateTimeOffset End => Origin.AddHours(Horizon + 1);

    public SeriesForecast? Find(string series) => Series.FirstOrDefault(s => s.Series == series);

    public SeriesForecast? Find(SeriesKey key) => Series.FirstOrDefault(s => s.Key == key);
}
