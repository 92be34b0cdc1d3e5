using System.Diagnostics;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Data.Ingest;
using Forecasting.ML.Models;
using Forecasting.ML.Models.FastTree;
using Forecasting.ML.Validation;

namespace Forecasting.Benchmarks;

/// <summary>
/// The accuracy-versus-row-budget curve of the global FastTree: the product's backtest (served forecast, scored
/// origins) with the training rows capped at each budget, on the demo data (as <c>train</c> backtests it) or on
/// the M4 Hourly training series (as the M4 benchmark's selection backtest runs, inside the training data).
/// </summary>
internal static class BudgetBenchmark
{
    public static int Run(BenchArgs args)
    {
        var data = args.Get("data") ?? "samples";
        var budgets = (args.Get("budgets") ?? "5000,10000,20000,50000,100000,unbounded").Split(',')
            .Select(b => b == "unbounded" ? int.MaxValue : int.Parse(b, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        List<NamedSeries> series;
        Func<int, IReadOnlyList<Core.Forecasting.IForecasterFactory>> models;
        BacktestOptions options;
        IReadOnlyDictionary<string, IReadOnlyList<string>>? rollups = null;
        if (data == "m4")
        {
            series = [.. M4Data.Read(args.Get("train") ?? "data-benchmarks/m4-hourly/Hourly-train.csv").Select(t => new NamedSeries(t.Id, t.Values))];
            models = rows => EngineModels.ForUnknownCalendar(rows);
            options = new BacktestOptions { Horizon = 48, Folds = args.GetInt("folds", 3), WarmupFolds = args.GetInt("warmup", 4), Step = 24, Period = 24 };
        }
        else
        {
            var parsed = UsageCsvParser.Parse(args.Get("file") ?? "data-samples/usage.csv");
            var built = SeriesBuilder.Build(parsed.Rows, ForecastTarget.Tokens, PriceTable.Default);
            series = [.. built.Select(s => new NamedSeries(s.Key.ToString(), s.Values, s.Start))];
            rollups = SeriesHierarchy.Rollups(built.Select(s => s.Key));
            var longest = series.Max(s => s.Values.Length);
            models = rows => EngineModels.ForHistory(longest, new FastTreeOptions { MaxRows = rows });
            options = new BacktestOptions();
        }

        Console.WriteLine($"row budget curve ({data}): {series.Count} series, {options.Folds} scored + {options.WarmupFolds} warm-up origins, horizon {options.Horizon} h, {Environment.ProcessorCount} cores");
        Console.WriteLine($"  {"max rows",10} {"served relMAE",14} {"fasttree relMAE",16} {"coverage",9} {"seconds",8}");
        foreach (var budget in budgets)
        {
            var watch = Stopwatch.StartNew();
            var result = Backtester.Run(series, models(budget), options, null, CancellationToken.None, rollups);
            var served = result.Scores.Single(s => s.Model == ModelScore.Served);
            var tree = result.Scores.Single(s => s.Model == "fasttree");
            Console.WriteLine($"  {(budget == int.MaxValue ? "unbounded" : budget.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)),10} {served.RelativeMae,14:N4} {tree.RelativeMae,16:N4} {served.Coverage,9:P1} {watch.Elapsed.TotalSeconds,8:N0}");
        }

        return 0;
    }
}
