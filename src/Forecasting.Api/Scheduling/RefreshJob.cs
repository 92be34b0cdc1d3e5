using Forecasting.Api.Services;
using Forecasting.Application;
using Microsoft.Extensions.Options;
using Quartz;

namespace Forecasting.Api.Scheduling;

/// <summary>
/// Hourly: the refresh use case (collect the last hours from the configured source and every source of the settings'
/// <c>sources</c>, then refresh every series' forecast and its plan from the champion), so the API serves a current
/// forecast; the job's detail says what each step did.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class RefreshJob(
    RefreshUseCase refresh,
    ForecastReader forecasts,
    IOptions<ApiOptions> options,
    IOptions<SchedulingOptions> schedule,
    IHttpClientFactory http) : IJob
{
    public static readonly JobKey Key = new("refresh", "forecasting");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var s = schedule.Value;
        var request = new RefreshRequest(options.Value.ParsedTarget, s.CollectLookbackHours, s.CollectSource, s.CollectBaseUrl, s.CollectApiKeyEnv);
        var refreshed = await refresh.RunAsync(request, http.CreateClient("usage-source"), cancellationToken);
        var result = new List<string>();
        if (refreshed.Collected is { } collected)
        {
            result.Add($"collected {collected.RowsStored} rows");
        }

        result.AddRange(refreshed.Sources.Select(c => c.Succeeded
            ? $"source {c.Name}: collected {c.Outcome!.RowsStored} rows"
            : $"source {c.Name} failed: {c.Error}"));
        if (refreshed.Forecast is { } forecast)
        {
            result.Add($"forecast {forecast.Run.Series.Count} series by {forecast.Run.ModelVersion}");
        }
        else
        {
            result.Add("no champion yet: forecast skipped");
        }

        forecasts.Forget();
        context.Result = new JobOutcome(JobStates.Succeeded, string.Join("; ", result), refreshed.Forecast?.Run.ModelVersion);
    }
}
