using System.Diagnostics;
using System.Net;
using Forecasting.Api.Services;
using Forecasting.Api.Tests.Support;

namespace Forecasting.Api.Tests;

/// <summary>
/// The kept forecast run: a newer stored run is served within <see cref="ForecastReader.CacheFor"/> and one check, and a
/// store that stops answering leaves the kept run served (requests never wait on the check).
/// </summary>
[Collection(SeededCollection.Name)]
public sealed class ForecastReaderTests(SeededService seeded)
{
    [Fact]
    public async Task ANewerRunIsServedAfterTheNextCheckAndABrokenStoreLeavesTheKeptRunServed()
    {
        var db = Path.Combine(seeded.Root, $"reader-{Guid.NewGuid():N}.db");
        await using (var store = await Data.Stores.UsageStore.OpenAndMigrateAsync(db, CancellationToken.None))
        {
            await store.SaveForecastAsync(seeded.Forecast, seeded.PlanJson, CancellationToken.None);
        }

        var now = seeded.Forecast.GeneratedAt.AddMinutes(20);
        await using var host = await ApiHost.StartAsync(seeded, now, db: db);
        const string Url = "/api/v1/autoscale?points=none";
        Assert.Equal(seeded.Forecast.ModelVersion, await VersionAsync(host));

        var newer = seeded.Forecast with { ModelVersion = "v9999-newer", GeneratedAt = seeded.Forecast.GeneratedAt.AddMinutes(5) };
        await using (var store = await Data.Stores.UsageStore.OpenAndMigrateAsync(db, CancellationToken.None))
        {
            await store.SaveForecastAsync(newer, seeded.PlanJson, CancellationToken.None);
        }

        var clock = Stopwatch.StartNew();
        while (await VersionAsync(host) != newer.ModelVersion)
        {
            Assert.True(clock.Elapsed < ForecastReader.CacheFor * 5, $"the newer run was not served after {clock.Elapsed}");
            await Task.Delay(50);
        }

        // The store file is now garbage: every check fails, and every answer is still the kept run.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await File.WriteAllBytesAsync(db, [.. Enumerable.Repeat((byte)'x', 8192)]);
        var until = Stopwatch.StartNew();
        while (until.Elapsed < ForecastReader.CacheFor * 2)
        {
            using var response = await host.Client.GetAsync(Url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Task.Delay(100);
        }

        Assert.Equal(newer.ModelVersion, await VersionAsync(host));

        async Task<string?> VersionAsync(ApiHost h) =>
            (await Json.ReadAsync(await h.Client.GetAsync(Url), HttpStatusCode.OK)).GetProperty("model_version").GetString();
    }
}
