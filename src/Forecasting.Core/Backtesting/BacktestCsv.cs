using System.Globalization;
using System.Text;
using Forecasting.Core.Usage;

namespace Forecasting.Core.Backtesting;

/// <summary>
/// The forecast/backtest CSV of docs/ARCHITECTURE.md: <c>series,origin,hour,actual,p10,p50,p90,model</c>, one row per
/// series × origin × hour, written for the served forecast and read back by reports.
/// </summary>
public static class BacktestCsv
{
    public const string Header = "series,origin,hour,actual,p10,p50,p90,model";

    public static string Write(IEnumerable<BacktestPoint> served)
    {
        ArgumentNullException.ThrowIfNull(served);
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        Write(text, served as IReadOnlyList<BacktestPoint> ?? [.. served]);
        return text.ToString();
    }

    /// <summary>
    /// Writes the rows ordered by series (ordinal), origin and step, points of equal keys in their given order, line by
    /// line: a backtest of 10,000 series has millions of served points, and the file is never one string in memory.
    /// </summary>
    public static void Write(TextWriter writer, IReadOnlyList<BacktestPoint> served)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(served);
        writer.Write(Header);
        writer.Write('\n');
        // The points' indices grouped by series (in the given order), the series sorted, then each one's few points
        // sorted by origin and step: not one sort of millions of string keys.
        var bySeries = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < served.Count; i++)
        {
            var name = served[i].Series;
            if (!bySeries.TryGetValue(name, out var indices))
            {
                bySeries[name] = indices = [];
            }

            indices.Add(i);
        }

        var keys = new List<(int Origin, int Step, int Index)>();
        foreach (var name in bySeries.Keys.Order(StringComparer.Ordinal))
        {
            keys.Clear();
            foreach (var i in bySeries[name])
            {
                var p = served[i];
                keys.Add((p.Origin, p.Step, i));
            }

            keys.Sort();
            var quoted = Quote(name);
            foreach (var (_, _, i) in keys)
            {
                var p = served[i];
                writer.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{quoted},{UtcHour.Format(p.OriginHour!.Value)},{UtcHour.Format(p.Hour!.Value)},{Number(p.Actual)},{Number(p.P10)},{Number(p.Forecast)},{Number(p.P90)},{p.ServedBy ?? p.Model}\n"));
            }
        }
    }

    /// <summary>A forecast run in the same format: <c>actual</c> empty, <c>origin</c> the run's origin.</summary>
    public static string WriteForecast(Forecasting.ForecastRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var text = new StringBuilder(Header).Append('\n');
        var origin = UtcHour.Format(run.Origin);
        foreach (var series in run.Series.OrderBy(s => s.Series, StringComparer.Ordinal))
        {
            var name = Quote(series.Series);
            foreach (var p in series.Points)
            {
                text.Append(CultureInfo.InvariantCulture, $"{name},{origin},{UtcHour.Format(p.Hour)},,{Number(p.P10)},{Number(p.P50)},{Number(p.P90)},{series.Model}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>Reads rows written by <see cref="Write"/>; Scale is recomputed by the caller if needed (set to the p50 here).</summary>
    public static List<BacktestPoint> Read(string path)
    {
        var points = new List<BacktestPoint>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var cells = Split(line);
            if (cells.Count != 8)
            {
                throw new InvalidDataException($"{path}: expected 8 fields in '{line}'");
            }

            var origin = DateTimeOffset.Parse(cells[1], CultureInfo.InvariantCulture).ToUniversalTime();
            var hour = DateTimeOffset.Parse(cells[2], CultureInfo.InvariantCulture).ToUniversalTime();
            var step = (int)((hour - origin).Ticks / TimeSpan.TicksPerHour);
            var p50 = Parse(cells[5]);
            points.Add(new BacktestPoint(cells[0], 0, 0, step, hour, Parse(cells[3]), p50, ModelScore.Served, Math.Max(1, p50))
            {
                P10 = Parse(cells[4]),
                P90 = Parse(cells[6]),
                ServedBy = cells[7],
            });
        }

        return points;
    }

    private static double Parse(string text) => text.Length == 0 ? double.NaN : double.Parse(text, CultureInfo.InvariantCulture);

    private static string Number(double value) => double.IsNaN(value) ? "" : value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Quote(string value) => value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
        ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : value;

    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        cells.Add(current.ToString());
        return cells;
    }
}
