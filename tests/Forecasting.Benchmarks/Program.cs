using Forecasting.Benchmarks;

// Benchmarks print figures side by side with their baselines, measured in one run on this machine.
var command = args.Length > 0 ? args[0] : "help";
var rest = args.Skip(1).ToArray();
return command switch
{
    "ingest" => await IngestBenchmark.RunAsync(BenchArgs.Parse(rest)),
    "m4" => M4Benchmark.Run(BenchArgs.Parse(rest)),
    "samples" => SamplesBenchmark.Run(BenchArgs.Parse(rest)),
    "autoscale" => await AutoscaleBenchmark.RunAsync(BenchArgs.Parse(rest)),
    "scale" => ScaleBenchmark.Run(BenchArgs.Parse(rest)),
    "budget" => BudgetBenchmark.Run(BenchArgs.Parse(rest)),
    "fixtures" => WriteFixtures(BenchArgs.Parse(rest)),
    _ => Usage(),
};

// Rewrites the saved-model fixture the ML tests check upgrades against; commit the result on purpose.
static int WriteFixtures(BenchArgs args)
{
    var folder = Path.GetFullPath(args.Get("out") ?? "tests/Forecasting.ML.Tests/Fixtures");
    Forecasting.ML.Tests.FastTree.FastTreeFixture.Write(folder);
    Console.WriteLine($"wrote {Forecasting.ML.Tests.FastTree.FastTreeFixture.ModelFile} and {Forecasting.ML.Tests.FastTree.FastTreeFixture.ExpectedFile} to {folder}");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project tests/Forecasting.Benchmarks -- <benchmark> [options]
          ingest [--rows 1000000] [--pg <connection string>] [--sqlite-only]
              ingest of a usage CSV into PostgreSQL and SQLite, as a ratio to a raw bulk load of the same rows
              (PostgreSQL: FORECASTING_TEST_PG or --pg; ./bench.sh starts a throwaway server)
          m4 [--train Hourly-train.csv] [--test Hourly-test.csv] [--out forecasts.csv] [--peers stlf,ets,tbats|none] [--tbats-every 8]
             [--cold-start | --history 336] [--level 95] [--folds 4] [--warmup-folds 4]
              the forecasting engine on the 414 M4 Hourly series, with R's stlf, ets and tbats (every 8th series); sMAPE, MASE, OWA,
              coverage and MSIS of the 95 % interval, wall and CPU time; --cold-start keeps the last 336 training hours of each series
          samples [--file data-samples/usage.csv | --bursty [--weeks 9] [--seeds 1,2,3]] [--folds 4] [--horizon 168] [--peers stlf,ets,tbats]
              the product's rolling-origin backtest on the demo data (or the sample generator's bursty relay, one run per seed),
              with R's forecast package at the same origins
          autoscale [--seconds 10] [--connections 16]
              wrk against /api/v1/autoscale and the trivial /health/live of the same server: requests/s, p50, p99
          scale [--series 10,100,1000] [--weeks 8] [--unbounded | --max-rows N]
              train (backtest + register) and 7-day forecast time, CPU time, peak memory and the served backtest's relMAE
              and 80 % coverage as the number of series grows; --unbounded trains the global model on every row
          budget [--data samples|m4] [--budgets 5000,10000,20000,50000,100000,unbounded]
              the served backtest's relMAE and coverage as the global FastTree's training-row budget grows
          fixtures [--out tests/Forecasting.ML.Tests/Fixtures]
              rewrites the saved FastTree model fixture and its expected forecast (only when the model format is meant to change)
        """);
    return 1;
}
