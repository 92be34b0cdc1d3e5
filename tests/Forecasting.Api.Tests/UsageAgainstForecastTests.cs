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

        Assert.DoesNotContain("forecasting_usage_last_hour_forecast_tokens{", before, StringComparison.Ordinal);
        const string Tutor = "{project=\"tutor\",model=\"deepseek-v3.2\",level=\"leaf\"}";
        const string Total = "{project=\"*\",model=\"*\",level=\"rollup\"}";
        const string TutorP90 = "{project=\"tutor\",model=\"deepseek-v3.2\",level=\"leaf\",quantile=\"0.9\"}";
        const string TotalP90 = "{project=\"*\",model=\"*\",level=\"rollup\",quantile=\"0.9\"}";
        // Tutor: 2M used against a p90 of 1.25 x 1.1M = 1.375M; the total: 3M against 1.375M + 2.5M.
        Assert.Equal(2_000_000, Value(after, "forecasting_usage_last_hour_tokens" + Tutor));
        Assert.Equal(1_375_000, Value(after, "forecasting_usage_last_hour_forecast_tokens" + TutorP90), 6);
        Assert.Equal(3_000_000, Value(after, "forecasting_usage_last_hour_tokens" + Total));
        Assert.Equal(3_875_000, Value(after, "forecasting_usage_last_hour_forecast_tokens" + TotalP90), 6);
        // p10 and p50 of the same hour beside it, below the p90; no metric of another unit.
        Assert.True(Value(after, "forecasting_usage_last_hour_forecast_tokens" + TutorP90.Replace("0.9", "0.5", StringComparison.Ordinal)) < 1_375_000);
        Assert.True(Value(after, "forecasting_usage_last_hour_forecast_tokens" + TutorP90.Replace("0.9", "0.1", StringComparison.Ordinal)) < 1_375_000);
        Assert.DoesNotContain("forecasting_usage_last_hour_requests{", after, StringComparison.Ordinal);
        Assert.DoesNotContain("forecasting_usage_last_hour_cost_usd{", after, StringComparison.Ordinal);
        Assert.Equal(hour.ToUnixTimeSeconds(), Value(after, "forecasting_data_last_hour_timestamp_seconds"));
    }

    private static double Value(string metrics, string series)
    {
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no sample {series} in\n{metrics}");
        return double.Parse(line![(series.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
