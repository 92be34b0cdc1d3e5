using System.Diagnostics;
using System.Globalization;
using System.Text;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Features;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Metrics;
using Forecasting.ML;
using Forecasting.ML.FastTree;
using Forecasting.ML.Ssa;

namespace Forecasting.Benchmarks;

/// <summary>
/// The product's forecasting engine on the 414 M4 Hourly series (horizon 48, m 24). Models are
/// fitted and selected on the training file only (a rolling-origin backtest inside it); the test
/// file is read after every forecast is made, to score them.
/// </summary>
internal static class M4Benchmark
{
    private const int Horizon = 48;
    private const int Period = 24;

    public static int Run(BenchArgs args)
    {
        var trainPath = args.Get("train") ?? "data-benchmarks/m4-hourly/Hourly-train.csv";
        var testPath = args.Get("test") ?? "data-benchmarks/m4-hourly/Hourly-test.csv";
        var outPath = args.Get("out") ?? "forecasts.csv";
        var watch = Stopwatch.StartNew();
        var train = M4Data.Read(trainPath);
        var series = train.Select(t => new NamedSeries(t.Id, t.Values)).ToList();
        var models = EngineModels.ForUnknownCalendar();
        Console.WriteLine($"M4 Hourly: {series.Count} series, horizon {Horizon}, m {Period}, {Environment.ProcessorCount} cores");

        // Selection: the backtest's scored folds inside the training data pick each series' model.
        var selection = ForecastEngine.SelectModels(series, models, new BacktestOptions { Horizon = Horizon, Folds = args.GetInt("folds", 3), WarmupFolds = 0, Step = 24, Period = Period }, CancellationToken.None);
        var selectSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"  selection backtest: {selectSeconds:N1} s; chosen: {string.Join(", ", selection.Values.GroupBy(v => v.StartsWith(WeightedCombination.Prefix, StringComparison.Ordinal) ? "combination" : v).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"))}");

        var histories = series.Select(s => new SeriesHistory(s.Values)).ToList();
        var forecasts = new Dictionary<string, double[][]>();
        foreach (var model in models)
        {
            var fitted = model.FitAll(histories, CancellationToken.None);
            forecasts[model.Name] = [.. fitted.Select(f => f.Predict(Horizon))];
        }

        forecasts[Backtester.Served] = [.. series.Select((s, i) => WeightedCombination.TryParse(selection[s.Name], out var combination)
            ? [.. Enumerable.Range(0, Horizon).Select(h => combination!.Combine(m => forecasts[m][i][h]))]
            : forecasts[selection[s.Name]][i])];
        var forecastSeconds = watch.Elapsed.TotalSeconds;
        Write(outPath, series, forecasts[Backtester.Served]);

        // Peers in the same run: R's forecast package. tbats takes ~12 s a series, so by default it runs on every 8th.
        var peers = (args.Get("peers") ?? "stlf,ets,tbats").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var tbatsEvery = args.GetInt("tbats-every", 8);
        var subset = series.Where((_, i) => i % tbatsEvery == 0).Select(s => s.Name).ToHashSet();
        var timings = new List<string> { $"this engine {forecastSeconds:N0} s (selection backtest + 6 models, 414 series)" };
        foreach (var peer in peers)
        {
            var input = series.Where(s => peer != "tbats" || subset.Contains(s.Name)).Select(s => (s.Name, s.Values)).ToList();
            if (RPeers.Run(peer, input, Horizon) is not { } result)
            {
                Console.WriteLine($"  R {peer}: not run (Rscript with the forecast package not found)");
                continue;
            }

            timings.Add($"R {peer} {result.Seconds:N0} s ({input.Count} series)");
            forecasts["R " + peer] = [.. series.Select(s => result.Forecasts.TryGetValue(s.Name, out var f) ? f : null!)];
        }

        // Only now is the test file read.
        var test = M4Data.Read(testPath).ToDictionary(t => t.Id, t => t.Values);
        Console.WriteLine($"  wall time: {string.Join("; ", timings)}");
        Console.WriteLine($"  forecasts of the served model: {Path.GetFullPath(outPath)}");
        Score("all 414 series", forecasts.Where(f => f.Value.All(v => v is not null)), series, test, args);
        Score($"every {tbatsEvery}th series ({subset.Count}), where tbats ran", forecasts, [.. series.Where(s => subset.Contains(s.Name))], test, args, series);
        return 0;
    }

    private static void Score(string title, IEnumerable<KeyValuePair<string, double[][]>> forecasts, List<NamedSeries> series, Dictionary<string, double[]> test, BenchArgs args, List<NamedSeries>? all = null)
    {
        var index = (all ?? series).Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i);
        Console.WriteLine($"  {title}:");
        Console.WriteLine($"  {"model",-12} {"sMAPE",8} {"MASE",8} {"OWA",8}");
        foreach (var (name, byIndex) in forecasts.OrderBy(f => f.Key == Backtester.Served ? 1 : 0))
        {
            var predictions = series.Select(s => byIndex[index[s.Name]]).ToArray();
            double smape = 0, mase = 0;
            for (var i = 0; i < series.Count; i++)
            {
                var actual = test[series[i].Name];
                smape += ForecastMetrics.Smape(actual, predictions[i]);
                mase += ForecastMetrics.Mase(actual, predictions[i], series[i].Values, Period);
            }

            if (args.Has("worst"))
            {
                var worst = Enumerable.Range(0, series.Count)
                    .Select(i => (series[i].Name, Mase: ForecastMetrics.Mase(test[series[i].Name], predictions[i], series[i].Values, Period)))
                    .OrderByDescending(x => x.Mase).Take(5);
                Console.WriteLine($"    worst MASE of {name}: {string.Join(", ", worst.Select(w => $"{w.Name} {w.Mase:N1}"))}");
            }

            smape /= series.Count;
            mase /= series.Count;
            Console.WriteLine($"  {name,-12} {smape,8:N3} {mase,8:N3} {ForecastMetrics.Owa(smape, mase),8:N3}");
        }
    }

    private static void Write(string path, List<NamedSeries> series, double[][] forecasts)
    {
        var text = new StringBuilder();
        text.AppendLine("id," + string.Join(',', Enumerable.Range(1, Horizon).Select(h => $"F{h}")));
        for (var i = 0; i < series.Count; i++)
        {
            text.AppendLine(series[i].Name + "," + string.Join(',', forecasts[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }

        File.WriteAllText(path, text.ToString());
    }
}
