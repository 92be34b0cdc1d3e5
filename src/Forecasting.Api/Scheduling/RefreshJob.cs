using Forecasting.Api.Application;
using Forecasting.Api.Services;
using Forecasting.Core;
using Forecasting.Core.Planning;
using Forecasting.Core.Usage;
using Forecasting.Data.Collect;
using Forecasting.ML.Registry;
using Forecasting.ML.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace Forecasting.Api.Scheduling;

/// <summary>
/// Hourly: collect the last hours from the configured source (when one is configured), then refresh
/// every series' forecast from the champion, so the autoscale endpoint serves a current forecast.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class RefreshJob(
    StoreConnection stores,
    ModelRegistry registry,
    PlanningSettings settings,
    IOptions<ApiOptions> options,
    IOptions<SchedulingOptions> schedule,
    IHttpClientFactory http,
    ILogger<RefreshJob> logger,
    TimeProvider time) : IJob
{
    public static readonly JobKey Key = new("refresh", "forecasting");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var store = await stores.GetAsync(cancellationToken);
        var result = new List<string>();
        var s = schedule.Value;
        if (!string.IsNullOrEmpty(s.CollectSource) && Uri.TryCreate(s.CollectBaseUrl, UriKind.Absolute, out var baseUrl))
        {
            var key = Environment.GetEnvironmentVariable(s.CollectApiKeyEnv)
                ?? throw new InvalidInputException($"environment variable {s.CollectApiKeyEnv} is not set; the hourly collection needs the source's key there");
            var to = UtcHour.Truncate(time.GetUtcNow());
            var collectorOptions = new CollectorOptions();
            var client = new SourceHttpClient(http.CreateClient("usage-source"), key, collectorOptions, logger);
            var source = UsageCollector.CreateSource(s.CollectSource, baseUrl, client, collectorOptions);
            var collected = await new UsageCollector(store, logger).CollectAsync(source, client, to.AddHours(-s.CollectLookbackHours), to, cancellationToken);
            result.Add($"collected {collected.RowsStored} rows");
        }

        if (registry.Champion(Trainer.RegistryName(options.Value.ParsedTarget)) is null)
        {
            result.Add("no champion yet: forecast skipped");
        }
        else
        {
            var data = await UsageData.LoadAsync(store, options.Value.ParsedTarget, settings.PriceTable, cancellationToken);
            var run = await new ForecastJob(store, registry, time).RunAsync(data, 168, cancellationToken);
            result.Add($"forecast {run.Series.Count} series by {run.ModelVersion}");
        }

        context.Result = string.Join("; ", result);
    }
}
