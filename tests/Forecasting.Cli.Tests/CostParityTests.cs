using Forecasting.Data.Stores;

namespace Forecasting.Cli.Tests;

/// <summary>The CLI and the service forecast through the same use case, with the same settings.</summary>
public sealed class CostParityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("forecasting-parity-").FullName;

    [Fact]
    public async Task TheCliAndTheServiceForecastTheSameCostFromTheSameSettings()
    {
        // A price table of its own (not the built-in list prices): both must price the cost series with it.
        var config = Path.Combine(_dir, "prices.json");
        await File.WriteAllTextAsync(config, """
            {
              "prices": { "version": "parity", "models": {
                "claude-sonnet-4.5": { "input": 6, "cached_input": 0.6, "output": 30 },
                "gpt-4.1": { "input": 4, "cached_input": 1, "output": 16 },
                "gpt-4.1-mini": { "input": 0.8, "cached_input": 0.2, "output": 3.2 },
                "gemini-2.5-flash": { "input": 0.6, "cached_input": 0.06, "output": 5 },
                "deepseek-v3.2": { "input": 0.56, "cached_input": 0.056, "output": 0.84 } } }
            }
            """);
        var cli = new Dictionary<string, string> { ["FORECASTING_CONFIG"] = config };
        Assert.Equal(0, (await CliProcess.RunAsync(_dir, cli, "samples", "--out", "usage.csv", "--weeks", "4")).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(_dir, cli, "ingest", "usage.csv")).ExitCode);
        var train = await CliProcess.RunAsync(_dir, cli, "train", "--target", "cost", "--folds", "1", "--horizon", "24");
        Assert.True(train.ExitCode == 0, train.All);
        var forecast = await CliProcess.RunAsync(_dir, cli, "forecast", "--target", "cost");
        Assert.True(forecast.ExitCode == 0, forecast.All);
        var db = Path.Combine(_dir, "data", "forecasting.db");
        var byCli = await LatestCostRunAsync(db);

        using (var node = ServeNode.Start(_dir, db, new Dictionary<string, string>
        {
            ["FORECASTING_CONFIG"] = config,
            ["Forecasting__Target"] = "cost",
            ["Forecasting__Schedule__RefreshCron"] = "0/2 * * * * ?",
        }))
        {
            await node.WaitHealthyAsync();
            await node.WaitForRunsAsync(runs => runs.Any(r => r.Job == "refresh" && r.Outcome == "succeeded"), "a refresh by the service", "in memory");
        }

        var byService = await LatestCostRunAsync(db);
        Assert.True(byService.GeneratedAt > byCli.GeneratedAt, "the service stored no run of its own");
        Assert.Equal((byCli.ModelVersion, byCli.Origin), (byService.ModelVersion, byService.Origin));
        Assert.Equal(byCli.Series.Select(s => s.Series), byService.Series.Select(s => s.Series));
        foreach (var (a, b) in byCli.Series.Zip(byService.Series))
        {
            Assert.Equal(a.Points.Count, b.Points.Count);
            for (var h = 0; h < a.Points.Count; h++)
            {
                Assert.Equal(a.Points[h].P50, b.Points[h].P50, Math.Abs(a.Points[h].P50) * 1e-9);
                Assert.Equal(a.Points[h].P90, b.Points[h].P90, Math.Abs(a.Points[h].P90) * 1e-9);
            }
        }
    }

    private static async Task<Core.Forecasting.ForecastRun> LatestCostRunAsync(string db)
    {
        await using var store = await UsageStore.OpenAndMigrateAsync(db, CancellationToken.None);
        return await store.LatestForecastAsync(Core.Series.ForecastTarget.Cost, CancellationToken.None) ?? throw new InvalidOperationException("no cost run stored");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
