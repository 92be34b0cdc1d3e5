using System.Diagnostics;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Metrics;
using Forecasting.Core.Planning;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Data.Ingest;
using Forecasting.ML;

namespace Forecasting.Benchmarks;

/// <summary>
/// The product's backtest on the data-samples series (the demo's data) with R's forecast package
/// fitted at the same origins on the same histories: one table, one run.
/// </summary>
internal static class SamplesBenchmark
{
    public static int Run(BenchArgs args)
    {
        var path = args.Get("file") ?? "data-samples/usage.csv";
        var parsed = UsageCsvParser.Parse(path);
        var series = SeriesBuilder.Build(parsed.Rows, ForecastTarget.Tokens, PriceTable.Default);
        var named = series.Select(s => new NamedSeries(s.Key.ToString(), s.Values, s.Start)).ToList();
        // --intervals level-scaled measures the calibration before version 2 on the same run's models.
        var method = args.Get("intervals") == "level-scaled" ? IntervalMethod.LevelScaled : IntervalMethod.LogRatio;
        var options = new BacktestOptions { Horizon = args.GetInt("horizon", 168), Folds = args.GetInt("folds", 4), IntervalMethod = method };
        Console.WriteLine($"data-samples backtest: {named.Count} series, {options.Folds} scored origins {options.Step} h apart, horizon {options.Horizon} h, {Environment.ProcessorCount} cores");
        var watch = Stopwatch.StartNew();
        // The calendar (time zones, holidays) of the settings file, as `forecasting backtest` uses it.
        var settings = args.Get("config") ?? "config/forecasting.json";
        var features = File.Exists(settings) ? PlanningSettings.Load(settings).Features() : null;
        var result = Backtester.Run(named, EngineModels.ForUsage(features), options, null, CancellationToken.None, SeriesHierarchy.Rollups(series.Select(s => s.Key)));
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
            if (RPeers.Run(peer, histories, options.Horizon) is not { } r)
            {
                Console.WriteLine($"  R {peer}: not run (Rscript with the forecast package not found)");
                continue;
            }

            timings.Add($"R {peer} {r.Seconds:N0} s ({histories.Count} fits)");
            foreach (var p in scored.Where(p => p.Model == "snaive"))
            {
                points.Add(p with { Model = "R " + peer, Forecast = r.Forecasts[$"{p.Series}|{p.Origin}"][p.Step - 1] });
            }
        }

        Console.WriteLine($"  wall time: {string.Join("; ", timings)}");
        var baseline = points.Where(p => p.Model == "snaive" && !double.IsNaN(p.Actual)).ToDictionary(p => (p.Series, p.Origin, p.Step), p => Math.Abs(p.Actual - p.Forecast));
        Console.WriteLine($"  {"model",-12} {"MAE",12} {"sMAPE %",8} {"MAE vs snaive",14} {"coverage",9}");
        foreach (var group in points.Where(p => !double.IsNaN(p.Actual)).GroupBy(p => p.Model).OrderBy(g => g.Sum(p => Math.Abs(p.Actual - p.Forecast))))
        {
            var list = group.ToList();
            var relative = list.Sum(p => Math.Abs(p.Actual - p.Forecast)) / list.Sum(p => baseline[(p.Series, p.Origin, p.Step)]);
            var coverage = ForecastMetrics.Coverage([.. list.Select(p => p.Actual)], [.. list.Select(p => p.P10)], [.. list.Select(p => p.P90)]);
            Console.WriteLine($"  {group.Key,-12} {ForecastMetrics.Mae([.. list.Select(p => p.Actual)], [.. list.Select(p => p.Forecast)]),12:N0} {ForecastMetrics.Smape([.. list.Select(p => p.Actual)], [.. list.Select(p => p.Forecast)]),8:N2} {relative,14:N3} {(double.IsNaN(coverage) ? "-" : coverage.ToString("P1", System.Globalization.CultureInfo.InvariantCulture)),9}");
        }

        var served = result.Scores.Single(s => s.Model == Backtester.Served);
        Console.WriteLine(
            $"  served intervals ({method}): coverage {served.Coverage:P1}, at the predicted peaks (top {ForecastMetrics.PeakShare:P0} of p50 per series and origin) {served.PeakCoverage:P1}, " +
            $"above p90 there {served.PeakAboveP90:P1}; pinball loss p10 {served.PinballP10:N0}, p90 {served.PinballP90:N0}");
        return 0;
    }
}
