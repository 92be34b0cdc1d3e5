using System.Text.Json;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.ML.Calibration;
using Forecasting.ML.Models;
using Forecasting.ML.Models.FastTree;
using Forecasting.ML.Registry;
using Forecasting.ML.Selection;
using Forecasting.ML.Validation;

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

    /// <summary>Series with fewer observed hours than this are not forecast (and named as skipped).</summary>
    public const int MinimumObservedHours = 24;

    /// <summary>
    /// The forecast, or null when no champion has been trained for the target yet. A series with fewer than
    /// <see cref="MinimumObservedHours"/> observed hours, or that no model can forecast, is left out and named in
    /// <see cref="ForecastRun.Skipped"/>; it never stops the others.
    /// </summary>
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

        // A union version (sharded retrain): each leaf is forecast by its shard's version, roll-ups use the roll-up shard's calibration.
        Func<HourlySeries, Unit> unitOf;
        if (manifest.Shards is { } shards)
        {
            var layout = new ShardLayout(shards.Count);
            var units = shards.Members.ToDictionary(m => m.Shard, m => Unit.Load(registry, m.Unit, registry.Load(m.Unit, m.Version)));
            // A series new since training whose shard had no series then: the first leaf shard's version serves it.
            var fallback = units[shards.Members.Where(m => m.Shard != layout.Rollups).Min(m => m.Shard)];
            unitOf = s => units.GetValueOrDefault(layout.ShardOf(s.Key)) ?? fallback;
        }
        else
        {
            var whole = Unit.Load(registry, name, manifest);
            unitOf = _ => whole;
        }

        var origin = series.Max(s => s.LastHour);
        var medians = new Dictionary<string, double[]>();
        var chosen = new Dictionary<string, string>();
        var skipped = new Dictionary<string, string>();

        var leaves = series.Where(s => s.Key.IsLeaf).ToList();
        bool IsBottomUp(HourlySeries s) => !s.Key.IsLeaf && leaves.Any(l => s.Key.Contains(l.Key));

        // Roll-ups are sums of their leaves, so only leaves (and roll-ups without any) need a model.
        var own = new List<HourlySeries>();
        foreach (var s in series.Where(s => !IsBottomUp(s)))
        {
            var key = s.Key.ToString();
            if (origin - s.LastHour > Retired)
            {
                medians[key] = new double[horizon];
                chosen[key] = "retired";
            }
            else if (Observed(s) < MinimumObservedHours)
            {
                // Too young for any model to say anything about tomorrow: named, and the others go on.
                skipped[key] = $"too new to forecast: {Observed(s)} h";
            }
            else
            {
                own.Add(s);
            }
        }

        foreach (var group in own.GroupBy(s => (Unit: unitOf(s), Model: Choose(unitOf(s).Manifest, s, unitOf(s).Models))))
        {
            cancellationToken.ThrowIfCancellationRequested();
            Forecast(group.Key.Model, [.. group], origin, horizon, group.Key.Unit.Models, medians, chosen, skipped, cancellationToken);
        }

        var result = new List<SeriesForecast>();
        foreach (var s in series)
        {
            var key = s.Key.ToString();
            var members = IsBottomUp(s) ? leaves.Where(l => s.Key.Contains(l.Key) && medians.ContainsKey(l.Key.ToString())).ToList() : [];
            if (IsBottomUp(s) && members.Count == 0)
            {
                skipped[key] = "every series under it was skipped";
            }

            if (skipped.ContainsKey(key))
            {
                continue;
            }

            // A roll-up's median is the sum of its leaves' (the backtest serves roll-ups with the same code); an interval
            // always holds its median, even where calibration is skewed.
            var p50 = members.Count == 0 ? medians[key] : BottomUp.Sum([.. members.Select(m => medians[m.Key.ToString()])], horizon);
            var (p10, p90) = BottomUp.Interval(key, p50, unitOf(s).Calibrator, Backtester.Scale(s.Values), RecentRange.Ceiling(s.Values));
            var points = new ForecastPoint[horizon];
            for (var h = 0; h < horizon; h++)
            {
                points[h] = new ForecastPoint(origin.AddHours(h + 1), p10[h], p50[h], p90[h]);
            }

            var model = members.Count == 0 ? chosen[key] : SeriesHierarchy.BottomUp;
            result.Add(new SeriesForecast(s.Key, model, points));
        }

        return new ForecastRun(target, manifest.Version, time.GetUtcNow(), origin, horizon, result)
        {
            Skipped = [.. series.Select(s => s.Key.ToString()).Where(skipped.ContainsKey).Select(k => new SkippedSeries(k, skipped[k]))],
        };
    }

    /// <summary>A registry version ready to serve: its manifest, its models (its FastTree loaded) and its interval calibration.</summary>
    private sealed class Unit(ModelManifest manifest, Dictionary<string, IForecasterFactory> models, IntervalCalibrator calibrator)
    {
        public ModelManifest Manifest { get; } = manifest;

        public Dictionary<string, IForecasterFactory> Models { get; } = models;

        public IntervalCalibrator Calibrator { get; } = calibrator;

        public static Unit Load(ModelRegistry registry, string name, ModelManifest manifest)
        {
            var folder = registry.VersionFolder(name, manifest.Version);
            // The version's own options: its features, with the calendar (zones, holidays) it was trained with.
            var options = manifest.FastTreeOptions();
            var treeFile = Path.Combine(folder, ModelRegistry.FastTreeFile);
            var tree = File.Exists(treeFile) ? GlobalFastTreeModel.Load(treeFile, options) : null;
            return new Unit(manifest, EngineModels.ForServing(tree).ToDictionary(m => m.Name), manifest.ToCalibrator());
        }
    }

    /// <summary>
    /// Forecasts series with one model. A series the model fails on is forecast by the seasonal fallbacks
    /// (median, then naive: daily when it is young) and skipped, with the reason, only when those fail too.
    /// </summary>
    private static void Forecast(
        string modelName,
        List<HourlySeries> list,
        DateTimeOffset origin,
        int horizon,
        Dictionary<string, IForecasterFactory> models,
        Dictionary<string, double[]> medians,
        Dictionary<string, string> chosen,
        Dictionary<string, string> skipped,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<int, string>();
        void Fail(int i, string model, Exception error) => errors[i] = errors.TryGetValue(i, out var before) ? $"{before}; {model}: {error.Message}" : $"{model}: {error.Message}";
        var histories = list.Select(s => new SeriesHistory(s.Values, s.Start, s.Key.ToString())).ToList();
        var fitted = IsolatedFit.FitEach(Resolve(modelName, models)!, histories, (i, e) => Fail(i, modelName, e), cancellationToken);
        // A series whose data stops before the common origin is forecast through the missing hours.
        int Lead(int i) => (int)((origin - list[i].LastHour).Ticks / TimeSpan.TicksPerHour);
        var (forecasts, failures) = IsolatedFit.PredictEach(fitted, i => Lead(i) + horizon, cancellationToken);
        for (var i = 0; i < list.Count; i++)
        {
            var s = list[i];
            var key = s.Key.ToString();
            var lead = Lead(i);
            if (failures[i] is { } failure)
            {
                Fail(i, modelName, failure);
            }

            var forecast = forecasts[i];
            var used = modelName;
            foreach (var fallback in EngineModels.FallbacksFor(s.Length).Select(f => f.ToString()))
            {
                if (forecast is not null)
                {
                    break;
                }

                if (fallback != modelName && models.TryGetValue(fallback, out var factory))
                {
                    var alone = IsolatedFit.FitEach(factory, [histories[i]], (_, e) => Fail(i, fallback, e), cancellationToken);
                    forecast = IsolatedFit.TryPredict(alone[0], lead + horizon, e => Fail(i, fallback, e));
                    used = fallback;
                }
            }

            if (forecast is null)
            {
                skipped[key] = errors.GetValueOrDefault(i, "no model could forecast it");
                continue;
            }

            // Bounded by the recent range before roll-ups sum it, as the backtest serves it (BottomUp).
            medians[key] = BottomUp.Bound(forecast[lead..], RecentRange.Ceiling(s.Values));
            chosen[key] = used;
        }
    }

    private static int Observed(HourlySeries series)
    {
        var n = 0;
        foreach (var v in series.Values)
        {
            n += double.IsNaN(v) ? 0 : 1;
        }

        return n;
    }

    /// <summary>The model the version selected for the series; a series new since training gets the ensemble for its age.</summary>
    private static string Choose(ModelManifest manifest, HourlySeries series, Dictionary<string, IForecasterFactory> models) =>
        manifest.Selection.TryGetValue(series.Key.ToString(), out var model) && Resolve(model, models) is not null ? model : EngineModels.DefaultFor(series.Length).ToString();

    /// <summary>A model by name: one of the engine's, or a weighted combination of them (its name holds the weights).</summary>
    private static IForecasterFactory? Resolve(string name, Dictionary<string, IForecasterFactory> models) =>
        models.TryGetValue(name, out var model) ? model
        : WeightedCombination.TryParse(name, out var combination) && combination!.Models.All(models.ContainsKey)
            ? new EnsembleFactory([.. combination.Models.Select(m => models[m])], name, combination.Weights)
            : null;
}
