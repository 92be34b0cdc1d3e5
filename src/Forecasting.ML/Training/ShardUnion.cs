using Forecasting.Core.Backtesting;
using Forecasting.Core.Series;
using Forecasting.ML.Registry;

namespace Forecasting.ML.Training;

/// <summary>What <see cref="ShardUnion.Compose"/> did: the union version served (new or already champion), whether it was promoted now, and why.</summary>
public sealed record ShardUnionOutcome(ModelManifest? Manifest, bool Promoted, string Decision);

/// <summary>
/// The last step of a sharded retrain: the union of a layout's shard champions registered as one version of the
/// target's unit (<c>global-&lt;target&gt;</c>) and made its champion, so the forecast, the API, the report and a
/// rollback read one version as today. The union version names each shard's version (<see cref="ModelManifest.Shards"/>);
/// its selection and calibration are the members', its served backtest their concatenation, its scores their
/// points-weighted means (relative MAE: the weighted MAE over the weighted seasonal naive MAE). Units of another
/// shard count are not read: changing the count serves the new layout once each of its shards has a champion.
/// </summary>
public static class ShardUnion
{
    /// <param name="empty">Shards without a series (nothing trained, not needed); a series new since then is served by the first leaf shard's version.</param>
    public static ShardUnionOutcome Compose(ModelRegistry registry, ForecastTarget target, ShardLayout layout, TimeProvider time, TimeSpan waitForOtherTraining = default, IReadOnlySet<int>? empty = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(time);
        var members = new List<ShardMember>();
        var missing = new List<string>();
        foreach (var shard in layout.Shards.Where(s => empty?.Contains(s) != true))
        {
            var unit = ModelRegistry.NameOf(target, shard, layout.Count);
            if (registry.Champion(unit) is { } champion)
            {
                members.Add(new ShardMember(shard, unit, champion.Version));
            }
            else
            {
                missing.Add(unit);
            }
        }

        var name = ModelRegistry.NameOf(target);
        using var trainingLock = Trainer.LockOrRefuse(registry, name, waitForOtherTraining);
        var current = registry.ChampionManifest(name);
        if (missing.Count > 0)
        {
            return new ShardUnionOutcome(null, false, $"not served: no champion yet in {string.Join(", ", missing)}; the champion stays {current?.Version ?? "none"}");
        }

        if (!members.Any(m => m.Shard != layout.Rollups))
        {
            return new ShardUnionOutcome(null, false, "not served: no leaf shard has series");
        }

        if (current?.Shards is { } served && served.Count == layout.Count && served.Members.SequenceEqual(members))
        {
            return new ShardUnionOutcome(current, false, $"unchanged: {current.Version} already serves these shard champions");
        }

        var manifests = members.Select(m => registry.Load(m.Unit, m.Version)).ToList();
        var backtests = members.Select(m => registry.ArtifactPath(m.Unit, m.Version, ModelRegistry.BacktestFile))
            .Where(File.Exists)
            .SelectMany(BacktestCsv.Read)
            .ToList();
        var first = manifests[0];
        var fingerprints = manifests.Select(m => m.UsageFingerprint).Distinct().ToList();
        var manifest = new ModelManifest
        {
            Version = "",
            Target = target.Name(),
            TrainedAt = time.GetUtcNow(),
            DataWindow = new DataWindow(
                manifests.Min(m => m.DataWindow.Start), manifests.Max(m => m.DataWindow.End), manifests.Sum(m => m.DataWindow.Series), manifests.Max(m => m.DataWindow.Hours)),
            FeatureSet = first.FeatureSet,
            HyperParameters = first.HyperParameters,
            LibraryVersions = first.LibraryVersions,
            Backtest = new BacktestSummary(first.Backtest.Horizon, first.Backtest.Folds, first.Backtest.Step, MergeScores(manifests.Select(m => m.Backtest).ToList())),
            Selection = manifests.SelectMany(m => m.Selection).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value),
            Calibration = manifests.SelectMany(m => m.Calibration).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value),
            // Series unknown to every shard (new since training) are forecast by their shard's version, with its pooled calibration.
            PooledCalibration = manifests[^1].PooledCalibration,
            CalibrationMethod = first.CalibrationMethod,
            Files = [ModelRegistry.BacktestFile],
            // Equal only when every shard saw the same stored usage: then a retrain on unchanged usage is skipped.
            UsageFingerprint = fingerprints.Count == 1 ? fingerprints[0] : null,
            Shards = new ShardSet(layout.Count, members),
        };
        var decision = $"promoted: union of {layout.Count} shards' champions ({string.Join(", ", members.Select(m => $"{m.Shard}:{m.Version}"))})"
            + (current is null ? "" : $", replacing {current.Version}");
        manifest = registry.Register(name, manifest with { Decision = decision }, folder =>
        {
            using var csv = new StreamWriter(Path.Combine(folder, ModelRegistry.BacktestFile));
            BacktestCsv.Write(csv, backtests);
        });
        registry.SetChampion(name, manifest.Version, decision, time.GetUtcNow());
        return new ShardUnionOutcome(manifest, true, decision);
    }

    /// <summary>The models every member scored, each field weighted by the member's points; relative MAE over the weighted baseline MAE.</summary>
    private static List<ModelScore> MergeScores(List<BacktestSummary> members)
    {
        var models = members.Select(m => m.Scores.Select(s => s.Model).ToHashSet()).Aggregate((a, b) => { a.IntersectWith(b); return a; });
        var result = new List<ModelScore>();
        foreach (var model in members[0].Scores.Select(s => s.Model).Where(models.Contains))
        {
            var scores = members.Select(m => (Score: m.Scores.First(s => s.Model == model), Baseline: m.Baseline)).ToList();
            var points = scores.Sum(s => s.Score.Points);
            double Mean(Func<ModelScore, double> field) => points == 0 ? double.NaN : scores.Sum(s => field(s.Score) * s.Score.Points) / points;
            var baselineMae = scores.Sum(s => (s.Baseline?.Mae ?? double.NaN) * s.Score.Points);
            result.Add(new ModelScore(model, Mean(s => s.Mae), Mean(s => s.Smape), Mean(s => s.Mase), scores.Sum(s => s.Score.Mae * s.Score.Points) / baselineMae, Mean(s => s.Coverage), points)
            {
                PeakCoverage = Mean(s => s.PeakCoverage),
                PeakAboveP90 = Mean(s => s.PeakAboveP90),
                PinballP10 = Mean(s => s.PinballP10),
                PinballP90 = Mean(s => s.PinballP90),
                P90AboveHistoryMax = Mean(s => s.P90AboveHistoryMax),
            });
        }

        return result;
    }
}
