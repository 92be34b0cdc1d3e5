using System.Data.Common;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;

namespace Forecasting.Data.Stores;

/// <summary>
/// Reads the latest forecast run back; shared by both engines, which differ only in how they bind
/// parameters and store timestamps (Unix seconds in SQLite, timestamptz in PostgreSQL).
/// </summary>
internal static class ForecastRows
{
    /// <summary>The text of the <c>target</c> column: the target's name (<c>tokens</c>, <c>requests</c>, <c>cost</c>).</summary>
    public static string TargetColumn(ForecastTarget target) => target.Name();

    /// <param name="latestRun">Selects <c>id, model_version, generated_at, origin, horizon</c> of the target's latest run.</param>
    /// <param name="pointsOf">Selects <c>series, model, hour, p10, p50, p90</c> of a run id, ordered by series and hour.</param>
    /// <param name="time">Reads a timestamp column.</param>
    public static async Task<ForecastRun?> ReadLatestAsync(
        ForecastTarget target,
        DbCommand latestRun,
        Func<long, DbCommand> pointsOf,
        Func<DbDataReader, int, DateTimeOffset> time,
        CancellationToken cancellationToken)
    {
        long id;
        string version;
        DateTimeOffset generated, origin;
        int horizon;
        await using (var reader = await latestRun.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            (id, version, generated) = Stamp(reader, time);
            origin = time(reader, 3);
            horizon = reader.GetInt32(4);
        }

        var rows = new List<(string Series, string Model, ForecastPoint Point)>();
        await using var points = pointsOf(id);
        await using (var reader = await points.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), new ForecastPoint(time(reader, 2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5))));
            }
        }

        return new ForecastRun(target, version, generated, origin, horizon, [.. rows
            .GroupBy(r => (r.Series, r.Model))
            .Select(g => new SeriesForecast(SeriesKey.Parse(g.Key.Series), g.Key.Model, [.. g.Select(r => r.Point)]))]);
    }

    /// <param name="latestRun">Selects <c>id, model_version, generated_at</c> of the target's latest run.</param>
    /// <param name="time">Reads a timestamp column.</param>
    public static async Task<ForecastRunStamp?> ReadLatestStampAsync(DbCommand latestRun, Func<DbDataReader, int, DateTimeOffset> time, CancellationToken cancellationToken)
    {
        await using var reader = await latestRun.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var (id, version, generated) = Stamp(reader, time);
        return new ForecastRunStamp(id, version, generated);
    }

    private static (long Id, string Version, DateTimeOffset Generated) Stamp(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time) =>
        (reader.GetInt64(0), reader.GetString(1), time(reader, 2));
}
