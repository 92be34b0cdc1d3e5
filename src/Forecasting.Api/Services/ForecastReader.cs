using Forecasting.Core.Forecasting;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Services;

/// <summary>Reads the latest stored forecast of the served target; the API never trains or forecasts.</summary>
internal sealed class ForecastReader(StoreConnection stores, IOptions<ApiOptions> options)
{
    public string Target => options.Value.Target.ToLowerInvariant();

    public async Task<ForecastRun?> LatestAsync(CancellationToken cancellationToken)
    {
        var store = await stores.GetAsync(cancellationToken);
        return await store.LatestForecastAsync(Target, cancellationToken);
    }
}
