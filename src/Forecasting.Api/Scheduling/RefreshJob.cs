using Forecasting.Api.Services;
using Forecasting.Application;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Usage;
using Forecasting.ML.Registry;
using Microsoft.Extensions.Options;
using Quartz;

namespace Forecasting.Api.Scheduling;

/// <summary>
/// Hourly: collect the last hours from the configured source and every source of the settings' <c>sources</c>
/// (one failing source never stops the others; <see cref="SourceStatus"/> keeps each one's last outcome), then refresh
/// every series' forecast (and its plan) from the champion, so the API serves a current forecast.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class RefreshJob(
    WorkspaceProvider workspaces,
    ForecastReader forecasts,
    IOptions<ApiOptions> options,
    IOptions<SchedulingOptions> schedule,
    IHttpClientFactory http,
    SourceStatus sources) : IJob
{
    public static readonly JobKey Key = new("refresh", "forecasting");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var workspace = await workspaces.GetAsync(cancellationToken);
        var result = new List<string>();
        var s = schedule.Value;
        if (!string.IsNullOrEmpty(s.CollectSource) && !string.IsNullOrEmpty(s.CollectBaseUrl))
        {
            var to = UtcHour.Truncate(workspace.Time.GetUtcNow());
            var request = new CollectRequest(s.CollectSource, s.CollectBaseUrl, s.CollectApiKeyEnv, to.AddHours(-s.CollectLookbackHours), to);
            var collected = await new CollectUseCase(workspace).RunAsync(request, http.CreateClient("usage-source"), cancellationToken);
            result.Add($"collected {collected.RowsStored} rows");
        }

        if (workspace.Settings.Sources.Count > 0)
        {
            // Each configured source in turn, each with its own retries; a failing one is recorded and named, the others are collected.
            var to = UtcHour.Truncate(workspace.Time.GetUtcNow());
            var collected = await new CollectUseCase(workspace, sources)
                .RunSourcesAsync(null, to.AddHours(-s.CollectLookbackHours), to, http.CreateClient("usage-source"), cancellationToken);
            result.AddRange(collected.Select(c => c.Succeeded
                ? $"source {c.Name}: collected {c.Outcome!.RowsStored} rows"
                : $"source {c.Name} failed: {c.Error}"));
        }

        var target = options.Value.ParsedTarget;
        string? version = null;
        if (workspace.Registry.Champion(ModelRegistry.NameOf(target)) is null)
        {
            result.Add("no champion yet: forecast skipped");
        }
        else
        {
            var forecast = (await new ForecastUseCase(workspace).RunAsync(target, Horizon.Default, cancellationToken)).Require();
            result.Add($"forecast {forecast.Run.Series.Count} series by {forecast.Run.ModelVersion}");
            version = forecast.Run.ModelVersion;
        }

        forecasts.Forget();
        context.Result = new JobOutcome(JobStates.Succeeded, string.Join("; ", result), version);
    }
}
