using System.Text.Json;
using Forecasting.Core.Backtesting;
using Forecasting.ML.Calibration;
using Forecasting.ML.Models.FastTree;

namespace Forecasting.ML.Registry;

/// <summary>
/// Everything needed to know what a model version is and to serve it: the data it saw, the feature
/// set and hyper-parameters it was built with, library versions, its backtest scores, the model each
/// series serves and the interval calibration. Written as <c>manifest.json</c> in the version folder.
/// </summary>
public sealed record ModelManifest
{
    public required string Version { get; init; }

    public required string Target { get; init; }

    public required DateTimeOffset TrainedAt { get; init; }

    public required DataWindow DataWindow { get; init; }

    public required string FeatureSet { get; init; }

    public required Dictionary<string, object> HyperParameters { get; init; }

    public required Dictionary<string, string> LibraryVersions { get; init; }

    public required BacktestSummary Backtest { get; init; }

    /// <summary>Series key → the model it serves (snaive, smedian, ssa, fasttree, ensemble...).</summary>
    public required Dictionary<string, string> Selection { get; init; }

    /// <summary>Series key → block (24 h of horizon) → [low, high] residual quantiles in the unit of <see cref="CalibrationMethod"/>.</summary>
    public required Dictionary<string, Dictionary<int, double[]>> Calibration { get; init; }

    public required Dictionary<int, double[]> PooledCalibration { get; init; }

    /// <summary>
    /// How the calibration's residuals were made (the calibration version). Absent in manifests written before
    /// calibration version 2, whose quantiles are in units of the series level.
    /// </summary>
    public IntervalMethod? CalibrationMethod { get; init; }

    /// <summary>Files of the version besides the manifest.</summary>
    public required List<string> Files { get; init; }

    /// <summary>
    /// A summary of the stored usage the version was trained on (rows, first and last hour, models, projects,
    /// token and request totals), so that a retrain on unchanged data can be skipped; null for versions
    /// registered before it was recorded or trained outside the use cases.
    /// </summary>
    public string? UsageFingerprint { get; init; }

    /// <summary>
    /// For a version that is the union of a sharded retrain's shard champions: the shard count and each shard's
    /// unit and version (leaves are forecast by their shard's version, roll-ups by the roll-up shard's calibration);
    /// null for a version trained whole.
    /// </summary>
    public ShardSet? Shards { get; init; }

    /// <summary>Why the version was or was not made champion.</summary>
    public string? Decision { get; init; }

    /// <summary>The global FastTree's options the version was trained with, its features' calendar included (defaults when not recorded).</summary>
    public FastTreeOptions FastTreeOptions() =>
        HyperParameters.TryGetValue("fasttree", out var raw) && raw is JsonElement element
            ? element.Deserialize<FastTreeOptions>(ModelRegistry.Json) ?? new FastTreeOptions()
            : raw as FastTreeOptions ?? new FastTreeOptions();

    public IntervalCalibrator ToCalibrator() => new(
        Calibration.SelectMany(s => s.Value.Select(b => (Key: (s.Key, b.Key), Value: (b.Value[0], b.Value[1])))).ToDictionary(x => x.Key, x => x.Value),
        PooledCalibration.ToDictionary(p => p.Key, p => (p.Value[0], p.Value[1])),
        CalibrationMethod ?? IntervalMethod.LevelScaled);
}
