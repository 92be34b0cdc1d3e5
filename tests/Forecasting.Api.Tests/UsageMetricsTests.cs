using System.Globalization;
using Forecasting.Api.Monitoring;
using Forecasting.Api.Tests.Support;
using Forecasting.Core.Pricing;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Api.Tests;

/// <summary>The last complete hour's usage per project × model on /metrics, read from the real SQLite store once per hour and minute.</summary>
[Collection(SeededCollection.Name)]
public sealed class UsageMetricsTests(SeededService seeded)
{
    [Fact]
    public async Task TheLastCompleteHoursUsageIsOnMetricsAndReadOnce()
    {
        var last = seeded.Forecast.Origin;
        await using var host = await ApiHost.StartAsync(seeded, last.AddHours(1).AddMinutes(10));
        var rows = new List<HourlyUsage>();
        await using (var store = await UsageStore.OpenAndMigrateAsync(seeded.Db, CancellationToken.None))
        {
            await foreach (var row in store.ReadAsync(new UsageQuery(From: last, To: last.AddHours(1)), CancellationToken.None))
            {
                rows.Add(row);
            }
        }

        var metrics = await host.Client.GetStringAsync("/metrics");
        await host.Client.GetStringAsync("/metrics");

        Assert.NotEmpty(rows);
        Assert.Equal(last.ToUnixTimeSeconds(), Value(metrics, "forecasting_usage_hour_timestamp_seconds", null));
        foreach (var row in rows)
        {
            var labels = $"project=\"{row.Project}\",model=\"{row.Model}\"";
            Assert.Equal(row.InputTokens, Value(metrics, "forecasting_usage_hour_tokens", labels + ",direction=\"input\""));
            Assert.Equal(row.OutputTokens, Value(metrics, "forecasting_usage_hour_tokens", labels + ",direction=\"output\""));
            Assert.Equal(row.Requests, Value(metrics, "forecasting_usage_hour_requests", labels));
            Assert.Equal(row.Errors!.Value, Value(metrics, "forecasting_usage_hour_errors", labels));
            Assert.Equal((double)row.Errors!.Value / row.Requests, Value(metrics, "forecasting_usage_hour_error_ratio", labels), 9);
            Assert.Equal(row.LatencyMsP50!.Value / 1000, Value(metrics, "forecasting_usage_hour_latency_seconds", labels + ",quantile=\"0.5\""), 9);
            Assert.Equal(row.LatencyMsP95!.Value / 1000, Value(metrics, "forecasting_usage_hour_latency_seconds", labels + ",quantile=\"0.95\""), 9);
            Assert.Equal(row.CostUsd ?? PriceTable.Default.Cost(row)!.Value, Value(metrics, "forecasting_usage_hour_cost_usd", labels), 6);
        }

        var gauges = host.App.Services.GetRequiredService<ForecastGauges>();
        Assert.Equal(1, gauges.Usage.Reads);

        // An hour later the last complete hour holds no usage: no project × model keeps the old numbers.
        host.Clock.Advance(TimeSpan.FromHours(1));
        var next = await host.Client.GetStringAsync("/metrics");
        Assert.Equal(2, gauges.Usage.Reads);
        Assert.Equal(last.AddHours(1).ToUnixTimeSeconds(), Value(next, "forecasting_usage_hour_timestamp_seconds", null));
        Assert.DoesNotContain("forecasting_usage_hour_requests{", next, StringComparison.Ordinal);
    }

    private static double Value(string metrics, string name, string? labels)
    {
        var prefix = labels is null ? $"{name} " : $"{name}{{{labels}}} ";
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"no {prefix} in /metrics");
        return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }
}
