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

    /// <summary>
    /// Forecasts per series id (and, with a <paramref name="level"/> in percent, R's prediction interval at that level),
    /// the wall time and the CPU time of R and its worker processes; null when Rscript or the forecast package is missing.
    /// </summary>
    public static PeerRun? Run(string model, IReadOnlyList<(string Id, double[] Values)> series, int horizon, int? level = null)
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
            var arguments = new List<string> { script, model, input, output, horizon.ToString(CultureInfo.InvariantCulture), Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture) };
            if (level is { } l)
            {
                arguments.Add(l.ToString(CultureInfo.InvariantCulture));
            }

            foreach (var arg in arguments)
            {
                start.ArgumentList.Add(arg);
            }

            var cpuBefore = ChildrenCpuSeconds();
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

            var seconds = watch.Elapsed.TotalSeconds;
            var cpu = ChildrenCpuSeconds() - cpuBefore;
            var forecasts = new Dictionary<string, double[]>();
            var intervals = new Dictionary<string, (double[] Lower, double[] Upper)>();
            foreach (var cells in File.ReadLines(output).Skip(1).Select(l => l.Split(',')))
            {
                var values = cells.Skip(1).Select(v => v == "NA" ? double.NaN : Math.Max(0, double.Parse(v, CultureInfo.InvariantCulture))).ToArray();
                forecasts[cells[0]] = values[..horizon];
                if (level is not null)
                {
                    intervals[cells[0]] = (values[horizon..(2 * horizon)], values[(2 * horizon)..(3 * horizon)]);
                }
            }

            return new PeerRun(forecasts, intervals, seconds, cpu);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>User + system seconds of this process' finished (waited-for) children and theirs, from /proc; NaN elsewhere.</summary>
    public static double ChildrenCpuSeconds()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            // Fields after the command name in parentheses start at field 3 (state); cutime is field 16, cstime 17.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            const double ticksPerSecond = 100;
            return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / ticksPerSecond;
        }
        catch (IOException)
        {
            return double.NaN;
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

/// <summary>One R peer's forecasts (and intervals when a level was asked), wall and CPU seconds.</summary>
internal sealed record PeerRun(
    Dictionary<string, double[]> Forecasts,
    Dictionary<string, (double[] Lower, double[] Upper)> Intervals,
    double Seconds,
    double CpuSeconds);
