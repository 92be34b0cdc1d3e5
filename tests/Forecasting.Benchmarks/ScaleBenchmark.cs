using System.Diagnostics;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Data.Samples;
using Forecasting.ML.Models.FastTree;
using Forecasting.ML.Prediction;
using Forecasting.ML.Registry;
using Forecasting.ML.Training;

namespace Forecasting.Benchmarks;

/// <summary>
/// Train (backtest, register) and 7-day forecast time for growing numbers of series, with the
/// process's peak memory: how the work grows when a relay carries more projects.
/// </summary>
internal static class ScaleBenchmark
{
    public static int Run(BenchArgs args)
    {
        var weeks = args.GetInt("weeks", 8);
        var sizes = (args.Get("series") ?? "10,100,1000").Split(',').Select(int.Parse).ToArray();
        // --unbounded trains the global model on every candidate row (the accuracy reference); --max-rows N sets the budget.
        var fastTree = new FastTreeOptions();
        fastTree = args.Has("unbounded") ? fastTree with { MaxRows = int.MaxValue } : fastTree with { MaxRows = args.GetInt("max-rows", fastTree.MaxRows) };
        Console.WriteLine($"scale: {weeks} weeks of hourly history per series, default backtest (4 scored + 9 warm-up origins, horizon 168 h), global FastTree rows {(fastTree.MaxRows == int.MaxValue ? "unbounded" : $"<= {fastTree.MaxRows:N0}")}, {Environment.ProcessorCount} cores");
        Console.WriteLine("  relMAE and coverage: the served forecast on the benchmark's own backtest (scored origins), peak MB: the process's peak working set so far");
        Console.WriteLine($"  {"series",7} {"train s",9} {"forecast s",11} {"train s/series",15} {"cpu s",8} {"peak MB",8} {"relMAE",8} {"cov80",7}");
        foreach (var wanted in sizes)
        {
            var series = Leaves(wanted, weeks);
            var root = Directory.CreateTempSubdirectory("forecasting-scale-");
            try
            {
                var registry = new ModelRegistry(root.FullName);
                using var self = Process.GetCurrentProcess();
                var cpu = self.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var outcome = new Trainer(registry, TimeProvider.System) { FastTree = fastTree }.Train(series, ForecastTarget.Tokens, new BacktestOptions(), Environment.GetEnvironmentVariable("PROBE") is null ? null : new MemoryProbe(), CancellationToken.None);
                var train = watch.Elapsed.TotalSeconds;
                watch.Restart();
                var run = new Predictor(registry, TimeProvider.System).Forecast(series, ForecastTarget.Tokens, 168, CancellationToken.None)!;
                var forecast = watch.Elapsed.TotalSeconds;
                self.Refresh();
                var served = outcome.Backtest.Scores.First(s => s.Model == ModelScore.Served);
                Console.WriteLine($"  {series.Count,7} {train,9:N1} {forecast,11:N2} {train / series.Count,15:N3} {(self.TotalProcessorTime - cpu).TotalSeconds,8:N0} {self.PeakWorkingSet64 / 1e6,8:N0} {served.RelativeMae,8:N3} {served.Coverage,7:P1}");
                _ = run;
            }
            finally
            {
                root.Delete(recursive: true);
            }
        }

        return 0;
    }

    /// <summary>
    /// The leaf series of a generated relay: what the engine is given. The generator's usage rows are let go once the series
    /// are built (a store-backed train holds its rows too: about 200 bytes an hour of a series, 0.2 GB at 1,000 series × 8 weeks).
    /// </summary>
    private static List<HourlySeries> Leaves(int wanted, int weeks)
    {
        // Each tenant brings two leaves; roll-ups come on top, so leaves are what is counted.
        var tenants = Math.Max(0, (wanted / 2) - 4);
        var rows = SampleUsageGenerator.Generate(new SampleUsageOptions { Weeks = weeks, ExtraTenants = tenants }).ToList();
        return [.. SeriesBuilder.Build(rows, ForecastTarget.Tokens, PriceTable.Default).Where(s => s.Key.IsLeaf).Take(wanted)];
    }
}

/// <summary>
/// With PROBE set: at each training step, the wall and CPU seconds since the previous step and the live heap after a full
/// collection (slow; for finding what takes the time and holds the memory).
/// </summary>
internal sealed class MemoryProbe : IProgress<string>
{
    private readonly Process _self = Process.GetCurrentProcess();
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private TimeSpan _cpu;
    private string _previous = "start";

    public MemoryProbe() => _cpu = _self.TotalProcessorTime;

    public void Report(string value)
    {
        _self.Refresh();
        var cpu = _self.TotalProcessorTime;
        var gc = GC.GetGCMemoryInfo();
        Console.WriteLine($"  {_previous}: {_watch.Elapsed.TotalSeconds:N1} s, cpu {(cpu - _cpu).TotalSeconds:N1} s; working set {_self.WorkingSet64 / 1e6:N0} MB (peak {_self.PeakWorkingSet64 / 1e6:N0}), GC committed {gc.TotalCommittedBytes / 1e6:N0} MB, live {GC.GetTotalMemory(true) / 1e6:N0} MB");
        _previous = value;
        _self.Refresh();
        _cpu = _self.TotalProcessorTime;
        _watch.Restart();
    }
}
