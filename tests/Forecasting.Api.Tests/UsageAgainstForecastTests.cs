using System.Globalization;
using Forecasting.Api.Monitoring;
using Forecasting.Api.Tests.Support;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Api.Tests;

/// <summary>
/// The newest hour's actual usage beside the p90 the forecast gave it, per series (for the ForecastingUsageAboveP90
/// alert): on a copy of the seeded store, usage for forecast hour 1 arrives after the service has seen the forecast.
/// </summary>
[Collection(SeededCollection.Name)]
public sealed class UsageAgainstForecastTests(SeededService seeded)
{
    [Fact]
    public async Task TheNewestHoursActualStandsBesideThePastForecastsP90()
    {
        var db = Path.Combine(seeded.Root, $"copy-{Guid.NewGuid():N}.db");
        File.Copy(seeded.Db, db);
        await using var host = await ApiHost.StartAsync(seeded, seeded.Forecast.GeneratedAt.AddMinutes(20), db: db);
        // The service reads the forecast (hours 1..24) before their usage exists.
        var before = await host.Client.GetStringAsync("/metrics");
        var hour = seeded.HourOf(1);
        await using (var store = await UsageStore.OpenAndMigrateAsync(db, CancellationToken.None))
        {
            await store.UpsertAsync(
                [
                    new HourlyUsage { Hour = hour, Project = "tutor", Model = "deepseek-v3.2", InputTokens = 1_500_000, OutputTokens = 500_000, Requests = 100 },
                    new HourlyUsage { Hour = hour, Project = "analytics", Model = "deepseek-v3.2", InputTokens = 1_000_000, OutputTokens = 0, Requests = 10 },
                ],
                CancellationToken.None);
        }

        await host.App.Services.GetRequiredService<DataFreshness>().RefreshAsync(CancellationToken.None);
        var after = await host.Client.GetStringAsync("/metrics");

        Assert.DoesNotContain("forecasting_usage_last_hour_forecast_p90{", before, StringComparison.Ordinal);
        const string Tutor = "{target=\"tokens\",project=\"tutor\",model=\"deepseek-v3.2\",level=\"leaf\"}";
        const string Total = "{target=\"tokens\",project=\"*\",model=\"*\",level=\"rollup\"}";
        // Tutor: 2M used against a p90 of 1.25 x 1.1M = 1.375M; the total: 3M against 1.375M + 2.5M.
        Assert.Equal(2_000_000, Value(after, "forecasting_usage_last_hour" + Tutor));
        Assert.Equal(1_375_000, Value(after, "forecasting_usage_last_hour_forecast_p90" + Tutor), 6);
        Assert.Equal(3_000_000, Value(after, "forecasting_usage_last_hour" + Total));
        Assert.Equal(3_875_000, Value(after, "forecasting_usage_last_hour_forecast_p90" + Total), 6);
        Assert.Equal(hour.ToUnixTimeSeconds(), Value(after, "forecasting_data_last_hour_timestamp_seconds"));
    }

    private static double Value(string metrics, string series)
    {
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no sample {series} in\n{metrics}");
        return double.Parse(line![(series.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
