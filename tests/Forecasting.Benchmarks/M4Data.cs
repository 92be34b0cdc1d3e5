using System.Globalization;

namespace Forecasting.Benchmarks;

/// <summary>Reads the M4 files: one row per series, <c>"H1","v1","v2",...</c>, trailing empty cells padding shorter series.</summary>
internal static class M4Data
{
    public static List<(string Id, double[] Values)> Read(string path)
    {
        var series = new List<(string, double[])>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var cells = line.Split(',');
            var id = cells[0].Trim('"');
            var values = cells.Skip(1)
                .Select(c => c.Trim('"'))
                .Where(c => c.Length > 0)
                .Select(c => double.Parse(c, CultureInfo.InvariantCulture))
                .ToArray();
            series.Add((id, values));
        }

        return series;
    }
}
