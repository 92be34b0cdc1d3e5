using System.Diagnostics;
using System.Globalization;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Metrics;
using Forecasting.Core.Planning;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Data.Ingest;
using Forecasting.Data.Samples;
using Forecasting.ML.Models;
using Forecasting.ML.Validation;

namespace Forecasting.Benchmarks;

/// <summary>
/// The product's backtest on the data-samples series (the demo's data) with R's forecast package
/// fitted at the same origins on the same histories: one table, one run.
/// </summary>
internal static class SamplesBenchmark
{
    public static int Run(BenchArgs args)
    {
        // --bursty: the sample generator's bursty relay (a production chat service's traffic), --weeks long, instead of a
        // file; one backtest per seed of --seeds (default: the sample's seed).
        if (!args.Has("bursty"))
        {
            return Run(args, null);
        }

        var seeds = (args.Get("seeds") ?? new SampleUsageOptions().Seed.ToString(CultureInfo.InvariantCulture)).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture));
        foreach (var seed in seeds)
        {
            Run(args, new SampleUsageOptions { Bursty = true, Weeks = args.GetInt("weeks", 9), Seed = seed });
        }

        return 0;
    }

    private static int Run(BenchArgs args, SampleUsageOptions? bursty)
    {
        var path = args.Get("file") ?? "data-samples/usage.csv";
        var rows = bursty is null ? UsageCsvParser.Parse(path).Rows : SampleUsageGenerator.Generate(bursty).ToList();
        var series = SeriesBuilder.Build(rows, ForecastTarget.Tokens, PriceTable.Default);
        var named = series.Select(s => new NamedSeries(s.Key.ToString(), s.Values, s.Start)).ToList();
        // --intervals level-scaled measures the calibration before version 2 on the same run's models.
        var method = args.Get("intervals") == "level-scaled" ? IntervalMethod.LevelScaled : IntervalMethod.LogRatio;
        var options = new BacktestOptions { Horizon = args.GetInt("horizon", 168), Folds = args.GetInt("folds", 4), IntervalMethod = method };
        Console.WriteLine($"{(bursty is null ? path : $"bursty relay, {bursty.Weeks} weeks, seed {bursty.Seed}")} backtest: {named.Count} series, {options.Folds} scored origins {options.Step} h apart, horizon {options.Horizon} h, {Environment.ProcessorCount} cores");
        var watch = Stopwatch.StartNew();
        // The calendar (time zones, holidays) of the settings file, as `forecasting backtest` uses it.
        var settings = args.Get("config") ?? "config/forecasting.json";
        var features = File.Exists(settings) ? PlanningSettings.Load(settings).Features() : null;
        // The models `train` backtests for this much history (daily ones under three weeks); the first is the baseline.
        var models = EngineModels.ForHistory(series.Select(s => s.Length).DefaultIfEmpty(0).Max(), features);
        var baselineModel = models[0].Name;
        var result = Backtester.Run(named, models, options, null, CancellationToken.None, SeriesHierarchy.Rollups(series.Select(s => s.Key)));
        var ours = watch.Elapsed.TotalSeconds;

        var scored = result.Points.Where(p => p.Fold >= options.WarmupFolds).ToList();
        var origins = scored.Select(p => (p.Series, p.Origin)).Distinct().ToList();
        var lookup = named.ToDictionary(s => s.Name);
        var histories = origins.Select(o =>
        {
            var values = lookup[o.Series].Values[..(o.Origin + 1)];
            var first = Array.FindIndex(values, v => !double.IsNaN(v));
            var filled = values[Math.Max(0, first)..];
            HourlyGapFiller.Fill(filled);
            return ($"{o.Series}|{o.Origin}", filled);
        }).ToList();
        var points = new List<BacktestPoint>(scored);
        points.AddRange(result.Served);
        var timings = new List<string> { $"this engine {ours:N0} s ({options.Folds + options.WarmupFolds} origins × 6 models, selection and calibration included)" };
        foreach (var peer in (args.Get("peers") ?? "stlf,ets,tbats").Split(',', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "none"))
        {
            // R's interval at the served interval's level: p10 and p90.
            if (RPeers.Run(peer, histories, options.Horizon, (int)Math.Round(options.IntervalLevel * 100)) is not { } r)
            {
                Console.WriteLine($"  R {peer}: not run (Rscript with the forecast package not found)");
                continue;
            }

            timings.Add($"R {peer} {r.Seconds:N0} s ({histories.Count} fits)");
            foreach (var p in scored.Where(p => p.Model == baselineModel))
            {
                var key = $"{p.Series}|{p.Origin}";
                var (lower, upper) = r.Intervals.TryGetValue(key, out var interval) ? interval : ([], []);
                points.Add(p with
                {
                    Model = "R " + peer,
                    Forecast = r.Forecasts[key][p.Step - 1],
                    P10 = p.Step <= lower.Length ? lower[p.Step - 1] : double.NaN,
                    P90 = p.Step <= upper.Length ? upper[p.Step - 1] : double.NaN,
                });
            }
        }

        Console.WriteLine($"  wall time: {string.Join("; ", timings)}");
        var baseline = points.Where(p => p.Model == baselineModel && !double.IsNaN(p.Actual)).ToDictionary(p => (p.Series, p.Origin, p.Step), p => Math.Abs(p.Actual - p.Forecast));
        Console.WriteLine($"  {"model",-12} {"MAE",12} {"sMAPE %",8} {$"MAE vs {baselineModel}",14} {"coverage",9} {"at peaks",9} {">p90 peaks",11}");
        foreach (var group in points.Where(p => !double.IsNaN(p.Actual)).GroupBy(p => p.Model).OrderBy(g => g.Sum(p => Math.Abs(p.Actual - p.Forecast))))
        {
            var list = group.ToList();
            var relative = list.Sum(p => Math.Abs(p.Actual - p.Forecast)) / list.Sum(p => baseline[(p.Series, p.Origin, p.Step)]);
            var coverage = ForecastMetrics.Coverage([.. list.Select(p => p.Actual)], [.. list.Select(p => p.P10)], [.. list.Select(p => p.P90)]);
            // The predicted peaks of each forecast (series and origin): the top 15 % of its hours by p50.
            var peaks = group.GroupBy(p => (p.Series, p.Origin)).SelectMany(f =>
            {
                var hours = f.OrderBy(p => p.Step).ToList();
                var flags = ForecastMetrics.PeakHours([.. hours.Select(p => p.Forecast)]);
                return hours.Where((_, i) => flags[i]);
            }).ToList();
            var peakCoverage = ForecastMetrics.Coverage([.. peaks.Select(p => p.Actual)], [.. peaks.Select(p => p.P10)], [.. peaks.Select(p => p.P90)]);
            // Over the peak hours with an interval, as the coverage columns (a failed R fit has no bounds).
            var bounded = peaks.Where(p => !double.IsNaN(p.P10) && !double.IsNaN(p.P90)).ToList();
            var above = bounded.Count == 0 ? double.NaN : bounded.Count(p => p.Actual > p.P90) / (double)bounded.Count;
            static string Share(double share) => double.IsNaN(share) ? "-" : share.ToString("P1", CultureInfo.InvariantCulture);
            Console.WriteLine($"  {group.Key,-12} {ForecastMetrics.Mae([.. list.Select(p => p.Actual)], [.. list.Select(p => p.Forecast)]),12:N0} {ForecastMetrics.Smape([.. list.Select(p => p.Actual)], [.. list.Select(p => p.Forecast)]),8:N2} {relative,14:N3} {Share(coverage),9} {Share(peakCoverage),9} {Share(above),11}");
        }

        var served = result.Scores.Single(s => s.Model == ModelScore.Served);
        Console.WriteLine(
            $"  served intervals ({method}): coverage {served.Coverage:P1}, at the predicted peaks (top {ForecastMetrics.PeakShare:P0} of p50 per series and origin) {served.PeakCoverage:P1}, " +
            $"above p90 there {served.PeakAboveP90:P1}; pinball loss p10 {served.PinballP10:N0}, p90 {served.PinballP90:N0}");
        return 0;
    }
}
