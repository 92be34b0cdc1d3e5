using Forecasting.Core.Planning;
using Forecasting.Core.Series;
using Forecasting.Data.Samples;
using Forecasting.Data.Stores;
using Forecasting.ML.Registry;

namespace Forecasting.Application.Tests;

/// <summary>
/// The calendar (time_zones, holidays) flows from the settings through the Workspace into training, is recorded with
/// the version, and the version forecasts with it; a changed calendar is reported and makes the retrain train.
/// </summary>
public sealed class CalendarSettingsTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("forecasting-calendar-").FullName;
    private IUsageStore _store = null!;
    private ModelRegistry _registry = null!;

    private static PlanningSettings Trained { get; } = new()
    {
        TimeZones = new TimeZoneSettings { Projects = new() { ["tutor"] = "Asia/Shanghai", ["support-bot"] = "America/Bogota" } },
        Holidays = new HolidaySettings { Dates = ["2026-09-07"], Projects = new() { ["support-bot"] = ["2026-11-26"] } },
    };

    private static PlanningSettings Changed { get; } = Trained with
    {
        TimeZones = new TimeZoneSettings { Projects = new() { ["tutor"] = "America/New_York", ["support-bot"] = "America/Bogota" } },
    };

    public async Task InitializeAsync()
    {
        _store = await UsageStore.OpenAndMigrateAsync(Path.Combine(_root, "usage.db"), CancellationToken.None);
        await _store.UpsertAsync([.. SampleUsageGenerator.Generate(new SampleUsageOptions { Weeks = 4 })], CancellationToken.None);
        _registry = new ModelRegistry(Path.Combine(_root, "models"));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task TheVersionKeepsTheCalendarItWasTrainedWithAndAChangedOneIsReportedAndRetrained()
    {
        var trained = Workspace(Trained);
        var train = (await new TrainUseCase(trained).RunAsync(ForecastTarget.Tokens, TrainedWorkspace.QuickBacktest, null, TimeSpan.Zero, CancellationToken.None)).Require();

        // Recorded with the version: the settings' calendar, as the trainer used it.
        var manifest = _registry.Load(ModelRegistry.NameOf(ForecastTarget.Tokens), train.Outcome.Manifest.Version);
        var recorded = manifest.FastTreeOptions().Features;
        Assert.Equal(Trained.Features().CalendarDescription(), recorded.CalendarDescription());
        Assert.Equal("Asia/Shanghai", recorded.ProjectTimeZones["tutor"]);
        Assert.Equal([new DateOnly(2026, 11, 26)], recorded.ProjectHolidays["support-bot"]);

        var same = (await new ForecastUseCase(trained).RunAsync(ForecastTarget.Tokens, 48, CancellationToken.None)).Require();
        Assert.Null(same.CalendarWarning);
        Assert.DoesNotContain(same.Plan.Warnings, w => w.Contains("calendar", StringComparison.Ordinal));

        // Settings with another zone: the champion still forecasts with its own calendar (the same numbers), and says so.
        var changed = Workspace(Changed);
        var other = (await new ForecastUseCase(changed).RunAsync(ForecastTarget.Tokens, 48, CancellationToken.None)).Require();
        Assert.Equal(same.Run.ModelVersion, other.Run.ModelVersion);
        Assert.Equal(same.Run.Series.Select(s => s.Points.Select(p => p.P50)).SelectMany(p => p), other.Run.Series.Select(s => s.Points.Select(p => p.P50)).SelectMany(p => p));
        Assert.NotNull(other.CalendarWarning);
        Assert.Contains(other.CalendarWarning, other.Plan.Warnings);
        Assert.Contains("tutor=Asia/Shanghai", other.CalendarWarning, StringComparison.Ordinal);

        // The retrain skips unchanged usage with the same calendar, and trains when only the calendar changed.
        var skipped = (await trained.Get<RetrainUseCase>().RunAsync(ForecastTarget.Tokens, Path.Combine(_root, "report"), TimeSpan.Zero, CancellationToken.None)).Require();
        Assert.True(skipped.IsSkipped, skipped.Skipped);
        var retrained = (await changed.Get<RetrainUseCase>().RunAsync(ForecastTarget.Tokens, Path.Combine(_root, "report"), TimeSpan.Zero, CancellationToken.None)).Require();
        Assert.False(retrained.IsSkipped, retrained.Skipped);
        var version = _registry.Load(ModelRegistry.NameOf(ForecastTarget.Tokens), retrained.Version!);
        Assert.Equal("America/New_York", version.FastTreeOptions().Features.ProjectTimeZones["tutor"]);
    }

    private Workspace Workspace(PlanningSettings settings) => new(_store, _registry, settings, TimeProvider.System);
}
