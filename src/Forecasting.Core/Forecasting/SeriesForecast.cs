using Forecasting.Core.Series;

namespace Forecasting.Core.Forecasting;

/// <summary>The forecast of one series: which model made it and its hourly points after the origin.</summary>
public sealed record SeriesForecast(SeriesKey Key, string Model, IReadOnlyList<ForecastPoint> Points)
{
    /// <summary>The series as written (<c>project/model</c>, <c>*</c> for a roll-up): how files, the store and the API name it.</summary>
    public string Series => Key.ToString();
}
