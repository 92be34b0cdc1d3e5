using Forecasting.Core.Series;
using Forecasting.Data.Stores;
using Forecasting.ML.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Application.Tests;

/// <summary>The queries and the read-only use cases on the trained workspace's real SQLite store and registry.</summary>
[Collection(TrainedCollection.Name)]
public sealed class QueryTests(TrainedWorkspace trained)
{
    private Workspace Workspace => trained.Workspace;

    [Fact]
    public void EveryUseCaseAndQueryIsRegisteredOnceAndResolves()
    {
        var services = new ServiceCollection()
            .AddSingleton<IWorkspaceSource>(Workspace)
            .AddSingleton(Workspace.Registry)
            .AddForecastingApplication();
        services.AddForecastingApplication();

        var types = typeof(Workspace).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && (t.Name.EndsWith("UseCase", StringComparison.Ordinal) || t.Name.EndsWith("Query", StringComparison.Ordinal) || t == typeof(UnchangedSince)))
            .ToList();
        Assert.Equal(types.Count, services.Count(d => types.Contains(d.ServiceType)));
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        foreach (var type in types)
        {
            Assert.NotNull(provider.GetRequiredService(type));
        }
    }

    [Fact]
    public async Task LatestForecastIsTheStoredRunWithItsPlanAndItsStamp()
    {
        var made = (await Workspace.Get<ForecastUseCase>().RunAsync(ForecastTarget.Tokens, 24, CancellationToken.None)).Require();
        var query = Workspace.Get<LatestForecastQuery>();

        var latest = (await query.GetAsync(ForecastTarget.Tokens, CancellationToken.None)).Require();
        var stamp = await query.StampAsync(ForecastTarget.Tokens, CancellationToken.None);

        Assert.Equal(made.Run.ModelVersion, latest.Run.ModelVersion);
        Assert.Equal(made.Run.GeneratedAt.ToUnixTimeSeconds(), latest.Run.GeneratedAt.ToUnixTimeSeconds());
        Assert.NotNull(latest.Plan);
        Assert.NotNull(stamp);
        Assert.True(stamp.Describes(latest.Run));
        Assert.Equal(PlanDocument.Serialize(latest.Plan), PlanDocument.Serialize((await query.PlanAsync(latest.Run, CancellationToken.None))!));
        Assert.Contains(latest.Run.ModelVersion, LatestForecastQuery.PlanMissing(latest.Run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LatestForecastOfATargetNeverForecastIsUnavailableAndSaysWhatToRun()
    {
        var query = Workspace.Get<LatestForecastQuery>();

        var none = await query.GetAsync(ForecastTarget.Requests, CancellationToken.None);

        Assert.Null(none.Value);
        Assert.Contains("no stored forecast for target requests", none.Problem, StringComparison.Ordinal);
        Assert.Contains("forecasting forecast", none.Problem, StringComparison.Ordinal);
        Assert.Null(await query.RunAsync(ForecastTarget.Requests, CancellationToken.None));
        Assert.Null(await query.StampAsync(ForecastTarget.Requests, CancellationToken.None));
    }

    [Fact]
    public async Task TheRefreshWithoutSourcesForecastsFromTheChampionAndStoresTheRun()
    {
        using var http = new HttpClient();

        var refreshed = await Workspace.Get<RefreshUseCase>().RunAsync(new RefreshRequest(ForecastTarget.Tokens, 6), http, CancellationToken.None);

        Assert.Null(refreshed.Collected);
        Assert.Empty(refreshed.Sources);
        var forecast = refreshed.Forecast;
        Assert.NotNull(forecast);
        Assert.Equal(Workspace.Registry.Champion(ModelRegistry.NameOf(ForecastTarget.Tokens))!.Version, forecast.Run.ModelVersion);
        Assert.Equal(Core.Forecasting.Horizon.Default, forecast.Run.Series[0].Points.Count);
        var stamp = await Workspace.Get<LatestForecastQuery>().StampAsync(ForecastTarget.Tokens, CancellationToken.None);
        Assert.Equal(forecast.Run.ModelVersion, stamp!.ModelVersion);
        Assert.Equal(forecast.Run.GeneratedAt.ToUnixTimeSeconds(), stamp.GeneratedAt.ToUnixTimeSeconds());
    }

    [Fact]
    public void ModelVersionsListTheRegistryWithItsChampion()
    {
        var query = Workspace.Get<ModelVersionsQuery>();

        var tokens = query.Get(ForecastTarget.Tokens);
        var requests = query.Get(ForecastTarget.Requests);

        Assert.Equal(ModelRegistry.NameOf(ForecastTarget.Tokens), tokens.Name);
        Assert.Equal(Workspace.Registry.Root, tokens.Root);
        Assert.NotNull(tokens.Champion);
        Assert.NotEmpty(tokens.Versions);
        Assert.Equal(Workspace.Registry.List(tokens.Name).Select(m => m.Version), tokens.Versions.Select(m => m.Version));
        var champion = Assert.Single(tokens.Versions, tokens.IsChampion);
        Assert.Equal(tokens.Champion.Version, champion.Version);
        Assert.Null(requests.Champion);
        Assert.Empty(requests.Versions);
    }

    [Fact]
    public async Task StatusIsTheStoresSummaryAndSchemaVersion()
    {
        var status = await Workspace.Get<StatusQuery>().GetAsync(CancellationToken.None);

        Assert.Equal(Workspace.Store.Description, status.Store);
        Assert.Equal(await Workspace.Store.GetSchemaVersionAsync(CancellationToken.None), status.SchemaVersion);
        Assert.True(status.SchemaVersion > 0);
        Assert.Equal(await Workspace.Store.SummarizeAsync(CancellationToken.None), status.Summary);
        Assert.True(status.Summary.Rows > 0);
    }

    [Fact]
    public async Task ExportWritesEveryStoredRowAndIngestReadsThemBackTheSame()
    {
        var folder = Directory.CreateTempSubdirectory("forecasting-export-").FullName;
        try
        {
            var path = Path.Combine(folder, "out", "usage.csv");

            var rows = await Workspace.Get<ExportUseCase>().RunAsync(path, CancellationToken.None);

            var summary = await Workspace.Store.SummarizeAsync(CancellationToken.None);
            Assert.Equal(summary.Rows, rows);
            Assert.Equal(new[] { "usage.csv" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
            await using var copy = await UsageStore.OpenAndMigrateAsync(Path.Combine(folder, "copy.db"), CancellationToken.None);
            var copied = Workspace with { Store = copy };
            var ingested = await copied.Get<IngestUseCase>().RunAsync(path, skipInvalid: false, CancellationToken.None);
            Assert.False(ingested.Refused);
            Assert.Equal(UsageFingerprint.Of(summary), UsageFingerprint.Of(await copy.SummarizeAsync(CancellationToken.None)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task UnchangedSinceFindsTheChampionTrainedOnTheStoredUsage()
    {
        var unchanged = Workspace.Get<UnchangedSince>();
        var name = ModelRegistry.NameOf(ForecastTarget.Tokens);
        var champion = Workspace.Registry.ChampionManifest(name)!;
        var summary = await Workspace.Store.SummarizeAsync(CancellationToken.None);

        var same = await unchanged.TargetAsync(ForecastTarget.Tokens, CancellationToken.None);

        Assert.NotNull(same);
        Assert.True(same.IsChampion);
        Assert.Equal("the champion", same.Role);
        Assert.Equal(champion.Version, same.Version);
        Assert.Equal(summary.LastHour, same.LastHour);
        // Nothing trained for the target, or trained on other usage, or not usable as it is: train.
        Assert.Null(await unchanged.TargetAsync(ForecastTarget.Requests, CancellationToken.None));
        Assert.Null(UnchangedSince.Find(Workspace.Registry, name, "rows=1;other"));
        Assert.Null(UnchangedSince.Find(Workspace.Registry, name, champion.UsageFingerprint!, _ => false));
        Assert.Equal(champion.Version, UnchangedSince.Find(Workspace.Registry, name, champion.UsageFingerprint!)?.Version);
    }

    [Fact]
    public async Task UnchangedSinceFallsBackToTheNewestVersionNotPromoted()
    {
        var root = Directory.CreateTempSubdirectory("forecasting-unchanged-").FullName;
        try
        {
            var registry = new ModelRegistry(root);
            var name = ModelRegistry.NameOf(ForecastTarget.Tokens);
            var template = Workspace.Registry.ChampionManifest(name)!;
            var at = template.TrainedAt;
            var older = registry.Register(name, template with { UsageFingerprint = "usage-a", TrainedAt = at }, _ => { });
            registry.SetChampion(name, older.Version, "test", at);
            var later = registry.Register(name, template with { UsageFingerprint = "usage-b", TrainedAt = at.AddDays(1) }, _ => { });

            var newest = UnchangedSince.Find(registry, name, "usage-b");

            Assert.NotNull(newest);
            Assert.False(newest.IsChampion);
            Assert.Equal("not promoted", newest.Role);
            Assert.Equal(later.Version, newest.Version);
            Assert.True(UnchangedSince.Find(registry, name, "usage-a")!.IsChampion);
            Assert.Null(UnchangedSince.Find(registry, name, "usage-c"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
