using Forecasting.Core.Forecasting;
using Forecasting.Core.Usage;
using Forecasting.Data.Collect;
using Forecasting.ML.Registry;

namespace Forecasting.Application;

/// <summary>
/// The hourly refresh: collect the last hours from the configured source and every source of the settings'
/// <c>sources</c> (one failing source never stops the others; each one's outcome is recorded), then refresh every
/// series' forecast (and its plan) from the champion, when there is one, so a current forecast is served.
/// </summary>
public sealed class RefreshUseCase(IWorkspaceSource workspaces, CollectUseCase collect, ForecastUseCase forecast)
{
    public async Task<RefreshResult> RunAsync(RefreshRequest request, HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var workspace = await workspaces.GetAsync(cancellationToken);
        CollectOutcome? collected = null;
        if (request.CollectsSource)
        {
            var to = UtcHour.Truncate(workspace.Time.GetUtcNow());
            collected = await collect.RunAsync(new CollectRequest(request.Source!, request.BaseUrl!, request.ApiKeyVariable, to.AddHours(-request.LookbackHours), to), http, cancellationToken);
        }

        IReadOnlyList<SourceResult> sources = [];
        if (workspace.Settings.Sources.Count > 0)
        {
            // Each configured source in turn, each with its own retries; a failing one is recorded and named, the others are collected.
            var to = UtcHour.Truncate(workspace.Time.GetUtcNow());
            sources = await collect.RunSourcesAsync(null, to.AddHours(-request.LookbackHours), to, http, cancellationToken);
        }

        var forecasted = workspace.Registry.Champion(ModelRegistry.NameOf(request.Target)) is null
            ? null
            : (await forecast.RunAsync(request.Target, Horizon.Default, cancellationToken)).Require();
        return new RefreshResult(collected, sources, forecasted);
    }
}
