using Forecasting.Core.Backtesting;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;
using Forecasting.Data.Ingest;
using Forecasting.Data.Samples;
using Forecasting.Data.Stores;
using Forecasting.ML.Registry;

namespace Forecasting.Application.Tests;

/// <summary>The demo's chain and the sample usage it runs on, in-process on a real SQLite store.</summary>
public sealed class DemoUseCaseTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("forecasting-demo-").FullName;
    private Workspace _workspace = null!;

    public async Task InitializeAsync()
    {
        var store = await UsageStore.OpenAndMigrateAsync(Path.Combine(_root, "usage.db"), CancellationToken.None);
        _workspace = new Workspace(store, new ModelRegistry(Path.Combine(_root, "models")), new PlanningSettings(), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _workspace.Store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task SamplesAreWrittenAsAUsageCsvWithoutATemporaryFileLeft()
    {
        var path = Path.Combine(_root, "samples", "usage.csv");

        var rows = await _workspace.Get<SamplesUseCase>().WriteAsync(new SampleUsageOptions { Weeks = 1 }, path, CancellationToken.None);

        Assert.Equal(SampleUsageGenerator.Generate(new SampleUsageOptions { Weeks = 1 }).Count(), rows);
        Assert.Equal(rows + 1, File.ReadLines(path).Count());
        Assert.Equal(new[] { "usage.csv" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task TheDemoIngestsTrainsForecastsWritesTheCsvsAndTheReportInThatOrder()
    {
        var samples = Path.Combine(_root, "usage.csv");
        await _workspace.Get<SamplesUseCase>().WriteAsync(new SampleUsageOptions { Weeks = 4 }, samples, CancellationToken.None);
        var folder = Path.Combine(_root, "out");
        var observer = new Recorder();

        var demo = await _workspace.Get<DemoUseCase>().RunAsync(samples, folder, observer, CancellationToken.None);

        Assert.Equal(["ingest", "train", "forecast", "report"], observer.Steps);
        Assert.False(demo.Ingested.Refused);
        Assert.True(demo.Ingested.RowsStored > 0);
        Assert.Equal(DemoUseCase.Target, demo.Training!.Data.Target);
        Assert.Equal(ModelScore.Served, demo.Served!.Model);
        Assert.Equal(Path.GetFullPath(folder), observer.Folder);
        // The CSVs are the stored forecast and the backtest's served forecasts, each moved into place.
        var latest = (await _workspace.Get<LatestForecastQuery>().GetAsync(ForecastTarget.Tokens, CancellationToken.None)).Require();
        Assert.Equal(BacktestCsv.WriteForecast(demo.Forecast!.Run), await File.ReadAllTextAsync(Path.Combine(folder, "forecast.csv")));
        Assert.Equal(demo.Forecast.Run.ModelVersion, latest.Run.ModelVersion);
        Assert.Equal(demo.Training.Outcome.Backtest.Served.Count, BacktestCsv.Read(Path.Combine(folder, "backtest.csv")).Count);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        Assert.True(File.Exists(demo.Report!.Files.Html));
        Assert.Equal(Path.Combine(Path.GetFullPath(folder), "report"), Path.GetDirectoryName(demo.Report.Files.Html));
    }

    [Fact]
    public async Task ARefusedSampleFileStopsTheDemoBeforeTraining()
    {
        var samples = Path.Combine(_root, "bad.csv");
        await File.WriteAllTextAsync(samples, "hour,model,project,input_tokens,output_tokens,requests\nnot-an-hour,m,p,1,1,1\n");
        var observer = new Recorder();

        var demo = await _workspace.Get<DemoUseCase>().RunAsync(samples, Path.Combine(_root, "out"), observer, CancellationToken.None);

        Assert.True(demo.Ingested.Refused);
        Assert.Equal(["ingest"], observer.Steps);
        Assert.Null(demo.Training);
        Assert.Null(demo.Served);
        Assert.False(Directory.Exists(Path.Combine(_root, "out")));
    }

    /// <summary>Runs each step and records its name, as the CLI's printer does around its output.</summary>
    private sealed class Recorder : IDemoObserver
    {
        public List<string> Steps { get; } = [];

        public string? Folder { get; private set; }

        public Task<IngestOutcome> IngestAsync(string file, Func<Task<IngestOutcome>> ingest)
        {
            Steps.Add("ingest");
            return ingest();
        }

        public Task<TrainResult> TrainAsync(ForecastTarget target, BacktestOptions options, Func<IProgress<string>?, Task<TrainResult>> train)
        {
            Steps.Add("train");
            return train(null);
        }

        public Task<ForecastResult> ForecastAsync(string folder, Func<Task<ForecastResult>> forecast)
        {
            Steps.Add("forecast");
            Folder = folder;
            return forecast();
        }

        public Task<ReportResult> ReportAsync(Func<Task<ReportResult>> report)
        {
            Steps.Add("report");
            return report();
        }
    }
}
