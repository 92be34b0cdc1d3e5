using Forecasting.ML.Registry;

namespace Forecasting.Application;

/// <summary>A registered version trained on the usage stored now: the champion, or the newest version (not promoted).</summary>
public sealed record UnchangedVersion(ModelManifest Manifest, bool IsChampion, DateTimeOffset? LastHour = null)
{
    public string Version => Manifest.Version;

    public string Role => IsChampion ? "the champion" : "not promoted";
}
