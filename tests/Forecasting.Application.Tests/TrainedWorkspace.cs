using Forecasting.Core.Backtesting;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;
using Forecasting.Data.Samples;
using Forecasting.Data.Stores;
using Forecasting.ML.Registry;

namespace Forecasting.Application.Tests;

/// <summary>
/// A real SQLite store with four weeks of sample usage and a registry with a tokens and a cost model
/// trained on it (one backtest origin, 24 h, to stay quick), shared by the collection.
/// </summary>
public sealed class TrainedWorkspace : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("forecasting-app-").FullName;

    public Workspace Workspace { get; private set; } = null!;

    public static BacktestOptions QuickBacktest { get; } = new() { Folds = 1, Horizon = 24 };

    public async Task InitializeAsync()
    {
        var store = await UsageStore.OpenAndMigrateAsync(Path.Combine(Root, "usage.db"), CancellationToken.None);
        await store.UpsertAsync([.. SampleUsageGenerator.Generate(new SampleUsageOptions { Weeks = 4 })], CancellationToken.None);
        Workspace = new Workspace(store, new ModelRegistry(Path.Combine(Root, "models")), new PlanningSettings(), TimeProvider.System);
        foreach (var target in new[] { ForecastTarget.Tokens, ForecastTarget.Cost })
        {
            (await new TrainUseCase(Workspace).RunAsync(target, QuickBacktest, null, TimeSpan.Zero, CancellationToken.None)).Require();
        }
    }

    public async Task DisposeAsync()
    {
        await Workspace.Store.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
