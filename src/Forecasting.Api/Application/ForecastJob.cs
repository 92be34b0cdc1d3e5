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

    public static string ToCsv(ForecastRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var text = new System.Text.StringBuilder("series,origin,hour,actual,p10,p50,p90,model\n");
        var origin = Core.Usage.UtcHour.Format(run.Origin);
        foreach (var series in run.Series.OrderBy(s => s.Series, StringComparer.Ordinal))
        {
            var name = Csv(series.Series);
            foreach (var p in series.Points)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"{name},{origin},{Core.Usage.UtcHour.Format(p.Hour)},,{p.P10:0.###},{p.P50:0.###},{p.P90:0.###},{series.Model}\n");
            }
        }

        return text.ToString();
    }

    private static string Csv(string value) => value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
        ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : value;
}
