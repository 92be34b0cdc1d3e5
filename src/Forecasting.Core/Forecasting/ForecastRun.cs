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
    /// <summary>Series that could not be forecast (too new, or their model failed), each with the reason; the others are in <see cref="Series"/>.</summary>
    public IReadOnlyList<SkippedSeries> Skipped { get; init; } = [];

    public SeriesForecast? Find(string series) => Series.FirstOrDefault(s => s.Series == series);
}
