using Forecasting.Api.Application;
using Forecasting.Core;
using Forecasting.Core.Planning;
using Forecasting.ML.Registry;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Services;

/// <summary>The plan (cost, summaries, recommendations) of the latest forecast, through <see cref="ReportJob"/>.</summary>
internal sealed class PlanReader(StoreConnection stores, ModelRegistry registry, PlanningSettings settings, TimeProvider time, IOptions<ApiOptions> options)
{
    /// <summary>The plan, or why there is none (no usage, no forecast, its model version missing).</summary>
    public async Task<(Plan? Plan, string? Missing)> TryBuildAsync(CancellationToken cancellationToken)
    {
        var store = await stores.GetAsync(cancellationToken);
        try
        {
            var data = await UsageData.LoadAsync(store, options.Value.ParsedTarget, settings.PriceTable, cancellationToken);
            return (await new ReportJob(store, registry, settings, time).PlanAsync(data, cancellationToken), null);
        }
        catch (InvalidInputException e)
        {
            return (null, e.Message);
        }
    }
}
