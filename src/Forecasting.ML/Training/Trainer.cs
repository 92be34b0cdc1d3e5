using System.Text.Json;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Features;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.ML.Calibration;
using Forecasting.ML.Models;
using Forecasting.ML.Models.FastTree;
using Forecasting.ML.Models.Ssa;
using Forecasting.ML.Registry;
using Forecasting.ML.Selection;
using Forecasting.ML.Validation;

namespace Forecasting.ML.Training;

/// <summary>
/// One use case: fit, backtest and register a model version for a target, then promote it to
/// champion only if its served forecast beats seasonal naive on the backtest and is no worse than
/// the champion's.
/// </summary>
public sealed class Trainer(ModelRegistry registry, TimeProvider time)
{
    private const string FastTreeFile = ModelRegistry.FastTreeFile;
    private const string BacktestFile = ModelRegistry.BacktestFile;

    /// <summary>The global FastTree's hyper-parameters and training-row budget (defaults unless a benchmark compares budgets).</summary>
    public FastTreeOptions FastTree { get; init; } = new();

    private static string RegistryName(ForecastTarget target) => ModelRegistry.NameOf(target);

    /// <summary>
    /// Trains with the registry's training lock held; another training of the same target waits up to
    /// <paramref name="waitForOtherTraining"/> (default: not at all) and is then refused with a clear message.
    /// </summary>
    /// <param name="usageFingerprint">Recorded in the manifest (<see cref="ModelManifest.UsageFingerprint"/>).</param>
    /// <param name="features">The features with the settings' calendar (<c>PlanningSettings.Features()</c>); recorded in the manifest's
    /// hyper-parameters, so the version forecasts with the calendar it was trained with. Default: no holidays, UTC.</param>
    /// <param name="unit">The registry unit (a shard's, <see cref="ModelRegistry.NameOf(ForecastTarget, int, int)"/>); default the target's.</param>
    public TrainingOutcome Train(IReadOnlyList<HourlySeries> series, ForecastTarget target, BacktestOptions options, IProgress<string>? progress, CancellationToken cancellationToken, TimeSpan waitForOtherTraining = default, string? usageFingerprint = null, FeatureOptions? features = null, string? unit = null)
    {
        var name = unit ?? RegistryName(target);
        using var trainingLock = LockOrRefuse(registry, name, waitForOtherTraining);
        return TrainHoldingLock(series, target, options, progress, usageFingerprint, features ?? new FeatureOptions(), name, cancellationToken);
    }

    /// <summary>The training lock of a unit, or a clear refusal when another training holds it after <paramref name="wait"/>.</summary>
    public static IDisposable LockOrRefuse(ModelRegistry registry, string unit, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.TryLockTraining(unit, wait)
            ?? throw new Core.InvalidInputException($"another training of {unit} is running on {registry.Root}; run train again when it has finished");
    }

    /// <summary>Trains and registers in <paramref name="unit"/>; the caller holds its lock (<see cref="LockOrRefuse"/>).</summary>
    public TrainingOutcome TrainHoldingLock(IReadOnlyList<HourlySeries> series, ForecastTarget target, BacktestOptions options, IProgress<string>? progress, string? usageFingerprint, FeatureOptions features, string unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        var fastTree = FastTree with { Features = features };
        var (backtest, selection, calibration, pooled) = Backtest(series, fastTree, options, progress, cancellationToken);

        progress?.Report("training the final global model on all history");
        var finalModel = new GlobalFastTreeFactory(fastTree).Train([.. series.Select(s => new SeriesHistory(s.Values, s.Start, s.Key.ToString()))], cancellationToken);
        var name = unit;
        var manifest = new ModelManifest
        {
            Version = "",
            Target = target.Name(),
            TrainedAt = time.GetUtcNow(),
            DataWindow = new DataWindow(series.Select(s => (DateTimeOffset?)s.Start).Min(), series.Select(s => (DateTimeOffset?)s.LastHour).Max(), series.Count, series.Select(s => s.Length).DefaultIfEmpty(0).Max()),
            FeatureSet = finalModel.Pipeline.Version,
            HyperParameters = HyperParameters(fastTree),
            LibraryVersions = LibraryVersions(),
            Backtest = new BacktestSummary(options.Horizon, options.Folds, options.Step, [.. backtest.Scores]),
            Selection = selection,
            Calibration = calibration,
            PooledCalibration = pooled,
            CalibrationMethod = options.IntervalMethod,
            Files = finalModel.IsTrained ? [FastTreeFile, BacktestFile] : [BacktestFile],
            UsageFingerprint = usageFingerprint,
        };

        progress?.Report("registering the version");
        var (promote, decision) = Decide(manifest, registry.ChampionManifest(name));
        manifest = registry.Register(name, manifest with { Decision = decision }, folder =>
        {
            using (var csv = new StreamWriter(Path.Combine(folder, BacktestFile)))
            {
                BacktestCsv.Write(csv, backtest.Served);
            }

            if (finalModel.IsTrained)
            {
                finalModel.Save(Path.Combine(folder, FastTreeFile));
            }
        });
        if (promote)
        {
            registry.SetChampion(name, manifest.Version, decision, time.GetUtcNow());
        }

        return new TrainingOutcome(manifest, promote, decision, backtest);
    }

    /// <summary>
    /// The backtest, and the selection and calibration production will use, from every fold. Every
    /// model's points (folds × models × series × horizon: 13 M at 1,000 series) stay inside this
    /// method: the result keeps only the served points and the scores, so the final model trains
    /// without them in memory.
    /// </summary>
    private static (BacktestResult Backtest, Dictionary<string, string> Selection, Dictionary<string, Dictionary<int, double[]>> Calibration, Dictionary<int, double[]> Pooled) Backtest(
        IReadOnlyList<HourlySeries> series, FastTreeOptions fastTree, BacktestOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var (backtest, rollups) = RunBacktest(series, fastTree, options, progress, cancellationToken);
        progress?.Report("choosing and calibrating each series' model on every origin");
        if (backtest.Points.Count == 0)
        {
            throw new Core.InvalidInputException(
                $"not enough history to backtest: the longest series needs {backtest.Options.NeededHistory} hours for even one origin with a {options.Horizon} h horizon; it has {series.Select(s => s.Length).DefaultIfEmpty(0).Max()}");
        }

        // Production choices use every fold: the selection and calibration the served forecast will use.
        var all = (BacktestPoints)backtest.Points;
        // A series whose best models combined beat each of them on every fold serves the combination (its name holds the weights).
        var chosen = Combiner.Select(all, rollups.ContainsKey, cancellationToken);
        // A copy: the roll-ups are added to it below, the selection itself stays what Select chose.
        var selection = new Dictionary<string, string>(chosen.Names);
        var combined = Combiner.Points(all, chosen);

        // One pass over the points for every selected model's calibrator.
        var selected = selection.Values.ToHashSet();
        var calibrators = IntervalCalibrator.PerModel(all, (_, _, model) => selected.Contains(model) ? int.MaxValue : 0, combined, options.IntervalLevel, options.IntervalMethod);
        var calibration = new Dictionary<string, Dictionary<int, double[]>>();
        var quantiles = calibrators.ToDictionary(c => c.Key, c => c.Value.PerSeries.ToLookup(p => p.Key.Series));
        foreach (var (key, model) in selection)
        {
            calibration[key] = quantiles[model][key].ToDictionary(p => p.Key.Block, p => new[] { p.Value.Low, p.Value.High });
        }

        // Roll-ups are served bottom-up; their intervals come from the bottom-up forecasts' residuals.
        var servedBySeries = backtest.Served.Where(p => rollups.ContainsKey(p.Series)).ToLookup(p => p.Series);
        foreach (var rollup in rollups.Keys)
        {
            selection[rollup] = SeriesHierarchy.BottomUp;
            calibration[rollup] = new IntervalCalibrator(servedBySeries[rollup], options.IntervalLevel, options.IntervalMethod)
                .PerSeries.ToDictionary(p => p.Key.Block, p => new[] { p.Value.Low, p.Value.High });
        }

        bool Selected(string series, string model) => selection.TryGetValue(series, out var m) && m == model;
        var pooled = IntervalCalibrator.Of(all, (_, series, model) => Selected(series, model) ? int.MaxValue : 0, combined.Where(p => Selected(p.Series, p.Model)), options.IntervalLevel, options.IntervalMethod)
            .Pooled.ToDictionary(p => p.Key, p => new[] { p.Value.Low, p.Value.High });

        return (backtest with { Points = [] }, selection, calibration, pooled);
    }

    /// <summary>
    /// The rolling-origin backtest of every engine model on usage series, roll-ups served bottom-up:
    /// what <c>train</c> judges a version on and what <c>backtest</c> prints. Also returns the roll-ups' members.
    /// </summary>
    public static (BacktestResult Backtest, Dictionary<string, IReadOnlyList<string>> Rollups) RunBacktest(
        IReadOnlyList<HourlySeries> series, FastTreeOptions fastTree, BacktestOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(fastTree);
        var named = series.Select(s => new NamedSeries(s.Key.ToString(), s.Values, s.Start)).ToList();
        var rollups = SeriesHierarchy.Rollups(series.Select(s => s.Key));
        // A young deployment (under three weeks of data) is backtested with daily models and fewer origins.
        var models = EngineModels.ForHistory(series.Select(s => s.Length).DefaultIfEmpty(0).Max(), fastTree);
        return (Backtester.Run(named, models, options, progress, cancellationToken, rollups), rollups);
    }

    /// <summary>The promotion rule, in one place.</summary>
    public static (bool Promote, string Decision) Decide(ModelManifest challenger, ModelManifest? champion)
    {
        ArgumentNullException.ThrowIfNull(challenger);
        var served = challenger.Backtest.Served;
        if (served is null || !(served.RelativeMae < 1))
        {
            return (false, $"not promoted: the served forecast does not beat seasonal naive on the backtest (relative MAE {served?.RelativeMae:0.000})");
        }

        if (champion is null)
        {
            return (true, $"promoted: first version; beats seasonal naive (relative MAE {served.RelativeMae:0.000})");
        }

        if (SameConfiguration(challenger, champion))
        {
            // Same features and hyper-parameters: on the same backtest the champion's configuration scores
            // exactly what the challenger scores, so the challenger (trained on newer data) wins the tie.
            return (true, $"promoted over {champion.Version}: same configuration retrained on newer data; relative MAE {served.RelativeMae:0.000} vs seasonal naive");
        }

        var championScore = champion.Backtest.Served?.RelativeMae ?? double.PositiveInfinity;
        return served.RelativeMae <= championScore
            ? (true, $"promoted over {champion.Version}: relative MAE {served.RelativeMae:0.000} <= champion's {championScore:0.000}")
            : (false, $"not promoted: relative MAE {served.RelativeMae:0.000} is worse than champion {champion.Version}'s {championScore:0.000}");
    }

    private static bool SameConfiguration(ModelManifest a, ModelManifest b) =>
        a.FeatureSet == b.FeatureSet && Configuration(a) == Configuration(b);

    /// <summary>
    /// The hyper-parameters without the features' calendar (holidays, time zones): the calendar describes the tenants,
    /// like the usage, so a version trained on a new calendar is judged as one trained on newer data.
    /// </summary>
    private static string Configuration(ModelManifest manifest)
    {
        var parameters = new Dictionary<string, object>(manifest.HyperParameters);
        if (parameters.ContainsKey("fasttree"))
        {
            var fastTree = manifest.FastTreeOptions();
            var neutral = new FeatureOptions();
            parameters["fasttree"] = fastTree with
            {
                Features = fastTree.Features with
                {
                    Holidays = neutral.Holidays,
                    ProjectHolidays = neutral.ProjectHolidays,
                    TimeZone = neutral.TimeZone,
                    ProjectTimeZones = neutral.ProjectTimeZones,
                },
            };
        }

        return JsonSerializer.Serialize(parameters, ModelRegistry.Json);
    }

    private static Dictionary<string, object> HyperParameters(FastTreeOptions fastTree)
    {
        // Round-tripped through JSON so a fresh manifest compares equal to one read back from disk.
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["fasttree"] = fastTree,
            ["ssa"] = new SsaOptions(),
            ["seasonal_median"] = new { period = Horizon.HoursPerWeek, cycles = 4 },
            ["interval_level"] = ForecastPoint.IntervalLevel,
        }, ModelRegistry.Json);
        return JsonSerializer.Deserialize<Dictionary<string, object>>(json, ModelRegistry.Json)!;
    }

    private static Dictionary<string, string> LibraryVersions() => new()
    {
        ["Forecasting"] = typeof(Trainer).Assembly.GetName().Version?.ToString() ?? "?",
        ["Microsoft.ML"] = typeof(Microsoft.ML.MLContext).Assembly.GetName().Version?.ToString() ?? "?",
        [".NET"] = Environment.Version.ToString(),
    };
}
