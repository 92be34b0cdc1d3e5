using System.Text.Json;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.ML.FastTree;
using Forecasting.ML.Registry;

namespace Forecasting.ML.Prediction;

/// <summary>
/// Forecasts every series from the champion version: each series with the model its backtest chose,
/// intervals from its calibration. Roll-ups are made coherent bottom-up: their median is the sum of
/// their leaves' medians (so per-model and per-project forecasts add up to the total), and their
/// interval is their own calibrated spread around that sum.
/// </summary>
public sealed class Predictor(ModelRegistry registry, TimeProvider time)
{
    /// <summary>A leaf silent for this long before the origin is taken as retired and forecast at zero.</summary>
    public static readonly TimeSpan Retired = TimeSpan.FromDays(7);

    /// <summary>The forecast, or null when no champion has been trained for the target yet.</summary>
    public ForecastRun? Forecast(IReadOnlyList<HourlySeries> series, ForecastTarget target, int horizon, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        var name = ModelRegistry.NameOf(target);
        var manifest = registry.ChampionManifest(name);
        if (manifest is null || series.Count == 0)
        {
            return null;
        }

        var folder = registry.VersionFolder(name, manifest.Version);
        var options = manifest.HyperParameters.TryGetValue("fasttree", out var raw) && raw is JsonElement element
            ? element.Deserialize<FastTreeOptions>(ModelRegistry.Json) ?? new FastTreeOptions()
            : new FastTreeOptions();
        var treeFile = Path.Combine(folder, ModelRegistry.FastTreeFile);
        var tree = File.Exists(treeFile) ? GlobalFastTreeModel.Load(treeFile, options) : null;
        var models = EngineModels.ForServing(tree).ToDictionary(m => m.Name);
        var calibrator = manifest.ToCalibrator();
        var origin = series.Max(s => s.LastHour);
        var medians = new Dictionary<string, double[]>();
        var chosen = new Dictionary<string, string>();

        var leaves = series.Where(s => s.Key.IsLeaf).ToList();
        bool BottomUp(HourlySeries s) => !s.Key.IsLeaf && leaves.Any(l => s.Key.Contains(l.Key));

        // Roll-ups are sums of their leaves, so only leaves (and roll-ups without any) need a model.
        foreach (var group in series.Where(s => !BottomUp(s)).GroupBy(s => Choose(manifest, s, models)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var list = group.ToList();
            var model = models[group.Key];
            var fitted = model.FitAll([.. list.Select(s => new SeriesHistory(s.Values, s.Start))], cancellationToken);
            for (var i = 0; i < list.Count; i++)
            {
                var s = list[i];
                var lead = (int)((origin - s.LastHour).Ticks / TimeSpan.TicksPerHour);
                var key = s.Key.ToString();
                if (origin - s.LastHour > Retired)
                {
                    medians[key] = new double[horizon];
                    chosen[key] = "retired";
                    continue;
                }

                // A series whose data stops before the common origin is forecast through the missing hours.
                medians[key] = fitted[i].Predict(lead + horizon)[lead..];
                chosen[key] = group.Key;
            }
        }

        var result = new List<SeriesForecast>();
        foreach (var s in series)
        {
            var key = s.Key.ToString();
            var members = BottomUp(s) ? leaves.Where(l => s.Key.Contains(l.Key)).ToList() : [];
            var p50 = members.Count == 0
                ? medians[key]
                : Enumerable.Range(0, horizon).Select(h => members.Sum(m => medians[m.Key.ToString()][h])).ToArray();
            var scale = Backtester.Scale(s.Values);
            var points = new ForecastPoint[horizon];
            for (var h = 0; h < horizon; h++)
            {
                var (low, high) = calibrator.Interval(key, h + 1, p50[h], scale);
                // An interval always holds its median, even where calibration is skewed.
                points[h] = new ForecastPoint(origin.AddHours(h + 1), Math.Min(low, p50[h]), p50[h], Math.Max(high, p50[h]));
            }

            var model = members.Count == 0 ? chosen[key] : "bottom-up";
            result.Add(new SeriesForecast(key, model, points));
        }

        return new ForecastRun(manifest.Target, manifest.Version, time.GetUtcNow(), origin, result);
    }

    private static string Choose(ModelManifest manifest, HourlySeries series, Dictionary<string, IForecasterFactory> models) =>
        manifest.Selection.TryGetValue(series.Key.ToString(), out var model) && models.ContainsKey(model) ? model : "ensemble";
}
