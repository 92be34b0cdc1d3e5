using Forecasting.Core.Forecasting;

namespace Forecasting.Data.Stores;

/// <summary>Groups stored forecast points back into a run; shared by both engines.</summary>
internal static class ForecastRows
{
    public static ForecastRun ToRun(string target, string version, DateTimeOffset generated, DateTimeOffset origin, List<(string Series, string Model, ForecastPoint Point)> rows) =>
        new(target, version, generated, origin, [.. rows
            .GroupBy(r => (r.Series, r.Model))
            .Select(g => new SeriesForecast(g.Key.Series, g.Key.Model, [.. g.Select(r => r.Point)]))]);
}
