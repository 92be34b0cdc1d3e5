using Forecasting.Core;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.Data.Stores;
using Forecasting.ML.Prediction;
using Forecasting.ML.Registry;

namespace Forecasting.Api.Application;

/// <summary>One use case: forecast every series from the champion and store the run. Used by the CLI and the hourly job.</summary>
public sealed class ForecastJob(IUsageStore store, ModelRegistry registry, TimeProvider time)
{
    public async Task<ForecastRun> RunAsync(UsageData data, int horizon, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var run = await Task.Run(() => new Predictor(registry, time).Forecast(data.Series, data.Target, horizon, cancellationToken), cancellationToken)
            ?? throw new InvalidInputException($"no champion model for target {data.Target.ToString().ToLowerInvariant()} in {registry.Root}; run 'forecasting train' first");
        await store.SaveForecastAsync(run, cancellationToken);
        return run;
    }
}
