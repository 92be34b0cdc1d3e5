using Forecasting.ML.Registry;

namespace Forecasting.Application;

/// <summary>A registry unit's versions, oldest first, and its champion (null: none promoted yet).</summary>
public sealed record ModelVersions(string Name, string Root, ChampionPointer? Champion, IReadOnlyList<ModelManifest> Versions)
{
    public bool IsChampion(ModelManifest version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return version.Version == Champion?.Version;
    }
}
