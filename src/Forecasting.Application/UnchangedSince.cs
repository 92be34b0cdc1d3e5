using Forecasting.Core.Series;
using Forecasting.ML.Registry;

namespace Forecasting.Application;

/// <summary>
/// The one "skip if usage unchanged" rule of the retrains (whole, sharded, each shard): the same data gives the same
/// model, so a version is not trained again when the champion, or else the newest version, recorded the usage
/// fingerprint the store has now (and is usable as it is: the settings' calendar, the shard layout).
/// </summary>
public sealed class UnchangedSince(IWorkspaceSource workspaces)
{
    /// <summary>
    /// The target's version trained on the stored usage with the settings' calendar (a calendar changed since is new
    /// input too); one summary query, no rows read. Null: train.
    /// </summary>
    public async Task<UnchangedVersion?> TargetAsync(ForecastTarget target, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        var summary = await workspace.Store.SummarizeAsync(cancellationToken);
        if (summary.Rows == 0)
        {
            return null;
        }

        var same = Find(workspace.Registry, ModelRegistry.NameOf(target), UsageFingerprint.Of(summary), m => PlanBuilder.CalendarWarning(workspace, m) is null);
        return same is null ? null : same with { LastHour = summary.LastHour };
    }

    /// <summary>
    /// The version of <paramref name="unit"/> trained on usage of <paramref name="fingerprint"/> that <paramref name="usable"/>
    /// accepts: the champion, or else the newest version; null when neither.
    /// </summary>
    public static UnchangedVersion? Find(ModelRegistry registry, string unit, string fingerprint, Func<ModelManifest, bool>? usable = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        bool Same(ModelManifest m) => m.UsageFingerprint == fingerprint && (usable is null || usable(m));
        if (registry.ChampionManifest(unit) is { } champion && Same(champion))
        {
            return new UnchangedVersion(champion, IsChampion: true);
        }

        var newest = registry.List(unit).MaxBy(m => m.TrainedAt);
        return newest is not null && Same(newest) ? new UnchangedVersion(newest, IsChampion: false) : null;
    }
}
