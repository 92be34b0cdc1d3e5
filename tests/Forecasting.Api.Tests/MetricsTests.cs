using Forecasting.Api.Tests.Support;
using Forecasting.Application;
using Forecasting.Core.Series;
using Forecasting.ML.Registry;

namespace Forecasting.Api.Tests;

/// <summary>/metrics carries the process and .NET runtime collectors and forecasting_build_info beside the forecast gauges.</summary>
[Collection(SeededCollection.Name)]
public sealed class MetricsTests(SeededService seeded)
{
    private DateTimeOffset Now => seeded.Forecast.GeneratedAt.AddMinutes(20);

    [Fact]
    public async Task MetricsHaveProcessAndRuntimeCollectors()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        var text = await host.Client.GetStringAsync("/metrics");

        foreach (var name in new[] { "process_cpu_seconds_total", "process_working_set_bytes", "process_start_time_seconds", "process_num_threads", "dotnet_total_memory_bytes", "dotnet_collection_count_total" })
        {
            Assert.Contains($"\n{name}", text, StringComparison.Ordinal);
        }

        // The existing names stay.
        Assert.Contains("\nforecasting_forecast_age_seconds{target=\"tokens\"}", text, StringComparison.Ordinal);
        Assert.Contains("\nforecasting_forecast_stale{target=\"tokens\"} 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildInfoNamesTheVersionAndTheChampion()
    {
        var champion = new ModelRegistry(seeded.Models).Champion(ModelRegistry.NameOf(ForecastTarget.Tokens))?.Version;
        Assert.NotNull(champion);
        await using var host = await ApiHost.StartAsync(seeded, Now);

        var text = await host.Client.GetStringAsync("/metrics");

        Assert.Matches(@"^\d+\.\d+\.\d+", ForecastingVersion.Current);
        Assert.DoesNotContain('+', ForecastingVersion.Current);
        Assert.Contains($"\nforecasting_build_info{{version=\"{ForecastingVersion.Current}\",model_version=\"{champion}\"}} 1", text, StringComparison.Ordinal);
    }
}
