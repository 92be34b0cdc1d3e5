using System.Diagnostics;
using System.Globalization;

namespace Forecasting.Benchmarks;

/// <summary>
/// Runs R's forecast package (stlf, ets, tbats) on the same series through Rscript, so the reference
/// statistical forecasters are measured in the same run as the product's models.
/// </summary>
internal static class RPeers
{
    public static bool Available() => Find() is not null;

    /// <summary>Forecasts per series id, and the wall time; null when Rscript or the forecast package is missing.</summary>
    public static (Dictionary<string, double[]> Forecasts, double Seconds)? Run(string model, IReadOnlyList<(string Id, double[] Values)> series, int horizon)
    {
        var rscript = Find();
        if (rscript is null)
        {
            return null;
        }

        var folder = Directory.CreateTempSubdirectory("forecasting-r-");
        try
        {
            var input = Path.Combine(folder.FullName, "in.csv");
            var output = Path.Combine(folder.FullName, "out.csv");
            File.WriteAllLines(input, series.Select(s => s.Id + "," + string.Join(',', s.Values.Select(v => double.IsNaN(v) ? "NA" : v.ToString("R", CultureInfo.InvariantCulture)))));
            var script = Path.Combine(AppContext.BaseDirectory, "r", "forecast_peers.R");
            var start = new ProcessStartInfo(rscript) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { script, model, input, output, horizon.ToString(CultureInfo.InvariantCulture), Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(arg);
            }

            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Console.Error.WriteLine($"  R {model} failed: {stderr.Result}");
                return null;
            }

            var forecasts = File.ReadLines(output).Skip(1)
                .Select(l => l.Split(','))
                .ToDictionary(c => c[0], c => c.Skip(1).Select(v => Math.Max(0, double.Parse(v, CultureInfo.InvariantCulture))).ToArray());
            return (forecasts, watch.Elapsed.TotalSeconds);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var path = Path.Combine(dir, "Rscript");
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}
