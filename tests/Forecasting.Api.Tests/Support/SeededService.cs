using Forecasting.Application;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;
using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;
using Forecasting.Data.Samples;
using Forecasting.Data.Stores;
using Forecasting.ML.Registry;
using Forecasting.ML.Training;

namespace Forecasting.Api.Tests.Support;

/// <summary>
/// What a running service has on disk, built once for the test collection: a real SQLite store holding
/// four weeks of sample usage and one hand-made forecast with known numbers, a registry with a model
/// trained on that usage, and a report folder with a chart (and a file beside it that must stay out of reach).
/// </summary>
public sealed class SeededService : IAsyncLifetime
{
    public const string Tutor = "tutor/deepseek-v3.2";
    public const string Analytics = "analytics/deepseek-v3.2";
    public const string Total = "*/*";
    public const int Hours = 24;

    public string Root { get; } = Directory.CreateTempSubdirectory("forecasting-api-").FullName;

    public string Db => Path.Combine(Root, "usage.db");

    public string Models => Path.Combine(Root, "models");

    public string Reports => Path.Combine(Root, "report");

    public int UsageKeys { get; private set; }

    public TrainingOutcome Training { get; private set; } = null!;

    public ForecastRun Forecast { get; private set; } = null!;

    /// <summary>The plan stored with <see cref="Forecast"/>, and its stored form.</summary>
    public Plan Plan { get; private set; } = null!;

    public string PlanJson { get; private set; } = null!;

    /// <summary>Tutor's p50 at forecast hour h (1-based): 1.0M + 0.1M per hour; p10 = 0.8 p50, p90 = 1.25 p50.</summary>
    public static double TutorP50(int h) => 1_000_000 + (100_000 * h);

    /// <summary>Analytics is flat: p10 1.6M, p50 2M, p90 2.5M.</summary>
    public const double AnalyticsP50 = 2_000_000;

    public async Task InitializeAsync()
    {
        var rows = SampleUsageGenerator.Generate(new SampleUsageOptions { Weeks = 4 }).ToList();
        await using (var store = await UsageStore.OpenAndMigrateAsync(Db, CancellationToken.None))
        {
            UsageKeys = await store.UpsertAsync(rows, CancellationToken.None);
            var series = SeriesBuilder.Build(rows, ForecastTarget.Tokens, PriceTable.Default);
            Training = await Task.Run(() => new Trainer(new ModelRegistry(Models), TimeProvider.System)
                .Train(series, ForecastTarget.Tokens, new BacktestOptions { Folds = 1, Horizon = 24 }, null, CancellationToken.None));

            var origin = rows.Max(r => r.Hour);
            var hours = Enumerable.Range(1, Hours).Select(h => (H: h, Hour: origin.AddHours(h))).ToList();
            var tutor = hours.Select(x => new ForecastPoint(x.Hour, 0.8 * TutorP50(x.H), TutorP50(x.H), 1.25 * TutorP50(x.H))).ToList();
            var analytics = hours.Select(x => new ForecastPoint(x.Hour, 1_600_000, AnalyticsP50, 2_500_000)).ToList();
            var total = tutor.Zip(analytics, (a, b) => new ForecastPoint(a.Hour, a.P10 + b.P10, a.P50 + b.P50, a.P90 + b.P90)).ToList();
            Forecast = new ForecastRun(
                ForecastTarget.Tokens,
                Training.Manifest.Version,
                origin.AddMinutes(70), // the origin hour ends at origin + 1 h; the hourly job runs a few minutes later
                origin,
                Hours,
                [new SeriesForecast(SeriesKey.Parse(Tutor), "fasttree", tutor), new SeriesForecast(SeriesKey.Parse(Analytics), "snaive", analytics), new SeriesForecast(SeriesKey.Total, "bottom_up", total)]);
            // The plan the forecast use case stores with every run: the API serves cost and recommendations from it.
            var workspace = new Workspace(store, new ModelRegistry(Models), new PlanningSettings(), TimeProvider.System);
            var data = (await UsageData.LoadAsync(workspace, ForecastTarget.Tokens, CancellationToken.None)).Require();
            Plan = PlanBuilder.Build(workspace, Forecast, data);
            PlanJson = PlanDocument.Serialize(Plan);
            await store.SaveForecastAsync(Forecast, PlanJson, CancellationToken.None);
        }

        Directory.CreateDirectory(Path.Combine(Reports, "charts"));
        await File.WriteAllTextAsync(Path.Combine(Reports, "report.html"), "<html><body>seeded report</body></html>");
        await File.WriteAllBytesAsync(Path.Combine(Reports, "charts", "forecast-all-all.png"), Png);
        await File.WriteAllBytesAsync(Path.Combine(Reports, "charts", "forecast-tutor-deepseek-v3.2.png"), Png);
        await File.WriteAllTextAsync(Path.Combine(Reports, "secret.png"), "SECRET-OUTSIDE-CHARTS");
        await File.WriteAllTextAsync(Path.Combine(Root, "secret.png"), "SECRET-OUTSIDE-REPORT");
    }

    /// <summary>Forecast hour h (1-based) of the seeded run.</summary>
    public DateTimeOffset HourOf(int h) => Forecast.Origin.AddHours(h);

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }

    internal static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
}
