using Forecasting.Benchmarks;

// Benchmarks print figures side by side with their baselines, measured in one run on this machine.
var command = args.Length > 0 ? args[0] : "help";
var rest = args.Skip(1).ToArray();
return command switch
{
    "ingest" => await IngestBenchmark.RunAsync(BenchArgs.Parse(rest)),
    "m4" => M4Benchmark.Run(BenchArgs.Parse(rest)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project tests/Forecasting.Benchmarks -- <benchmark> [options]
          ingest [--rows 1000000] [--pg <connection string>] [--sqlite-only]
              ingest of a usage CSV into PostgreSQL and SQLite, as a ratio to a raw bulk load of the same rows
              (PostgreSQL: FORECASTING_TEST_PG or --pg; ./bench.sh starts a throwaway server)
          m4 [--train Hourly-train.csv] [--test Hourly-test.csv] [--out forecasts.csv]
              the forecasting engine on the 414 M4 Hourly series; prints sMAPE, MASE, OWA per model and wall time
        """);
    return 1;
}
