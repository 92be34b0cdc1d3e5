using System.Diagnostics;
using System.Globalization;
using System.Text;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Metrics;
using Forecasting.ML.Calibration;
using Forecasting.ML.Models;
using Forecasting.ML.Selection;
using Forecasting.ML.Validation;

namespace Forecasting.Benchmarks;

/// <summary>
/// The product's forecasting engine on the 414 M4 Hourly series (horizon 48, m 24). Models are
/// fitted and selected on the training file only (a rolling-origin backtest inside it), and their
/// 95 % intervals are calibrated on that backtest's residuals (the product's conformal method at
/// 2.5 %/97.5 %); the test file is read after every forecast is made, to score them.
/// <c>--cold-start</c> (or <c>--history N</c>) keeps only the last 336 (N) training hours of each series.
/// </summary>
internal static class M4Benchmark
{
    private const int Horizon = 48;
    private const int Period = 24;
    private const int ColdStartHours = 336;

    public static int Run(BenchArgs args)
    {
        var trainPath = args.Get("train") ?? "data-benchmarks/m4-hourly/Hourly-train.csv";
        var testPath = args.Get("test") ?? "data-benchmarks/m4-hourly/Hourly-test.csv";
        var outPath = args.Get("out") ?? "forecasts.csv";
        var history = args.Has("cold-start") ? ColdStartHours : args.GetInt("history", 0);
        var level = args.GetInt("level", 95);
        var watch = Stopwatch.StartNew();
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var train = M4Data.Read(trainPath);
        // The full training series scale MASE and MSIS in every run, so a cold-start score is the same measure.
        var fullTraining = train.ToDictionary(t => t.Id, t => t.Values);
        var series = train.Select(t => new NamedSeries(t.Id, history > 0 && t.Values.Length > history ? t.Values[^history..] : t.Values)).ToList();
        var models = EngineModels.ForUnknownCalendar();
        Console.WriteLine(
            $"M4 Hourly: {series.Count} series, horizon {Horizon}, m {Period}, {level} % intervals, {Environment.ProcessorCount} cores" +
            (history > 0 ? $"; cold start: the last {history} training hours of each series" : ""));

        // Selection: a backtest inside the training data picks each series' model, with the product's default origins for
        // this horizon (4 scored and 4 warm-up, 24 h apart) and on every one of them, as train selects; unlike train on
        // 100+ series, every model is fitted at every origin (--refit-hours 0), as each forecast here is fitted at its own.
        var defaults = new BacktestOptions { Horizon = Horizon, Period = Period };
        var options = defaults with
        {
            Folds = args.GetInt("folds", defaults.Folds),
            WarmupFolds = args.GetInt("warmup-folds", defaults.WarmupFolds),
            RefitHours = args.GetInt("refit-hours", 0),
        };
        var selection = ForecastEngine.SelectModels(series, models, options, CancellationToken.None, out var backtest, out var chosen);
        var selectSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"  selection backtest ({backtest.Options.Folds + backtest.Options.WarmupFolds} origins): {selectSeconds:N1} s; chosen: {string.Join(", ", selection.Values.GroupBy(v => ModelId.Parse(v).Kind == ModelKind.Combination ? Combiner.Model : v).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"))}");

        // Intervals: each model's residuals on the backtest's origins, and those of each series' chosen combination.
        var calibrators = IntervalCalibrator.PerModel(backtest.Points, level / 100.0);
        var combinedResiduals = Combiner.Points((BacktestPoints)backtest.Points, chosen);
        var combined = new IntervalCalibrator(combinedResiduals, level / 100.0);
        var none = new IntervalCalibrator([], level / 100.0);
        var scales = series.Select(s => Backtester.Scale(s.Values)).ToArray();
        Forecast WithInterval(IntervalCalibrator calibrator, int i, double[] mean)
        {
            var bounds = Enumerable.Range(0, Horizon).Select(h => calibrator.Interval(series[i].Name, h + 1, mean[h], scales[i])).ToArray();
            return new Forecast(mean, [.. bounds.Select(b => b.Low)], [.. bounds.Select(b => b.High)]);
        }

        var histories = series.Select(s => new SeriesHistory(s.Values)).ToList();
        var forecasts = new Dictionary<string, Forecast[]>();
        foreach (var model in models)
        {
            var fitted = model.FitAll(histories, CancellationToken.None);
            var calibrator = calibrators.GetValueOrDefault(model.Name) ?? none;
            forecasts[model.Name] = [.. fitted.Select((f, i) => WithInterval(calibrator, i, f.Predict(Horizon)))];
        }

        forecasts[ModelScore.Served] = [.. series.Select((s, i) => WeightedCombination.TryParse(selection[s.Name], out var combination)
            ? WithInterval(combined, i, [.. Enumerable.Range(0, Horizon).Select(h => combination!.Combine(m => forecasts[m][i].Mean[h]))])
            : forecasts[selection[s.Name]][i])];
        var forecastSeconds = watch.Elapsed.TotalSeconds;
        var forecastCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
        Write(outPath, series, forecasts[ModelScore.Served]);

        // Peers in the same run: R's forecast package. tbats takes ~12 s a series, so by default it runs on every 8th.
        var peers = (args.Get("peers") ?? "stlf,ets,tbats").Split(',', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "none");
        var tbatsEvery = args.GetInt("tbats-every", 8);
        var subset = series.Where((_, i) => i % tbatsEvery == 0).Select(s => s.Name).ToHashSet();
        var timings = new List<string> { $"this engine {forecastSeconds:N0} s wall, {forecastCpu:N0} s CPU (selection backtest + {models.Count} models + intervals, {series.Count} series)" };
        foreach (var peer in peers)
        {
            var input = series.Where(s => peer != "tbats" || subset.Contains(s.Name)).Select(s => (s.Name, s.Values)).ToList();
            if (RPeers.Run(peer, input, Horizon, level) is not { } result)
            {
                Console.WriteLine($"  R {peer}: not run (Rscript with the forecast package not found)");
                continue;
            }

            timings.Add($"R {peer} {result.Seconds:N0} s wall, {result.CpuSeconds:N0} s CPU ({input.Count} series)");
            forecasts["R " + peer] = [.. series.Select(s => result.Forecasts.TryGetValue(s.Name, out var f)
                ? new Forecast(f, result.Intervals[s.Name].Lower, result.Intervals[s.Name].Upper)
                : null!)];
        }

        // Only now is the test file read.
        var test = M4Data.Read(testPath).ToDictionary(t => t.Id, t => t.Values);
        Console.WriteLine($"  time: {string.Join("; ", timings)}");
        Console.WriteLine($"  forecasts of the served model: {Path.GetFullPath(outPath)}");
        var scoring = new Scoring(test, fullTraining, level, args.Has("worst"));
        scoring.Print($"all {series.Count} series", forecasts.Where(f => f.Value.All(v => v is not null)), series);
        if (forecasts.ContainsKey("R tbats"))
        {
            scoring.Print($"every {tbatsEvery}th series ({subset.Count}), where tbats ran", forecasts, [.. series.Where(s => subset.Contains(s.Name))], series);
        }

        return 0;
    }

    private static void Write(string path, List<NamedSeries> series, Forecast[] forecasts)
    {
        var text = new StringBuilder();
        text.AppendLine("id," + string.Join(',', Enumerable.Range(1, Horizon).Select(h => $"F{h}")));
        for (var i = 0; i < series.Count; i++)
        {
            text.AppendLine(series[i].Name + "," + string.Join(',', forecasts[i].Mean.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>A point forecast and its interval at the run's level.</summary>
    private sealed record Forecast(double[] Mean, double[] Lower, double[] Upper);

    private sealed record Scoring(Dictionary<string, double[]> Test, Dictionary<string, double[]> Training, int Level, bool Worst)
    {
        public void Print(string title, IEnumerable<KeyValuePair<string, Forecast[]>> forecasts, List<NamedSeries> series, List<NamedSeries>? all = null)
        {
            var index = (all ?? series).Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i);
            Console.WriteLine($"  {title}:");
            Console.WriteLine($"  {"model",-12} {"sMAPE",8} {"MASE",8} {"OWA",8} {$"cov {Level}%",9} {"MSIS",8}");
            foreach (var (name, byIndex) in forecasts.OrderBy(f => f.Key == ModelScore.Served ? 1 : 0))
            {
                double smape = 0, mase = 0, msis = 0;
                int inside = 0, hours = 0, msisSeries = 0;
                var perSeries = new List<(string Name, double Mase)>();
                foreach (var s in series)
                {
                    var forecast = byIndex[index[s.Name]];
                    var actual = Test[s.Name];
                    var training = Training[s.Name];
                    smape += ForecastMetrics.Smape(actual, forecast.Mean);
                    var own = ForecastMetrics.Mase(actual, forecast.Mean, training, Period);
                    mase += own;
                    perSeries.Add((s.Name, own));
                    var score = ForecastMetrics.Msis(actual, forecast.Lower, forecast.Upper, training, Period, 1 - (Level / 100.0));
                    if (!double.IsNaN(score))
                    {
                        msis += score;
                        msisSeries++;
                    }

                    for (var h = 0; h < actual.Length; h++)
                    {
                        if (!double.IsNaN(forecast.Lower[h]) && !double.IsNaN(forecast.Upper[h]))
                        {
                            hours++;
                            inside += actual[h] >= forecast.Lower[h] && actual[h] <= forecast.Upper[h] ? 1 : 0;
                        }
                    }
                }

                if (Worst)
                {
                    Console.WriteLine($"    worst MASE of {name}: {string.Join(", ", perSeries.OrderByDescending(x => x.Mase).Take(5).Select(w => $"{w.Name} {w.Mase:N1}"))}");
                }

                smape /= series.Count;
                mase /= series.Count;
                var coverage = hours == 0 ? "-" : ((double)inside / hours).ToString("P1", CultureInfo.InvariantCulture);
                var msisText = msisSeries == 0 ? "-" : (msis / msisSeries).ToString("N2", CultureInfo.InvariantCulture);
                Console.WriteLine($"  {name,-12} {smape,8:N3} {mase,8:N3} {ForecastMetrics.Owa(smape, mase),8:N3} {coverage,9} {msisText,8}");
            }
        }
    }
}
