namespace Forecasting.Core.Forecasting;

/// <summary>
/// One forecast of every series, from a common origin (the last hour of data), by one model version.
/// What the store keeps, the API serves and reports read.
/// </summary>
public sealed record ForecastRun(
    string Target,
    string ModelVersion,
    DateTimeOffset GeneratedAt,
    DateTimeOffset Origin,
    IReadOnlyList<SeriesForecast> Series)
{
    public SeriesForecast? Find(string series) => Series.FirstOrDefault(s => s.Series == series);
}
