namespace Forecasting.Core.Series;

/// <summary>Which leaves add up to each roll-up.</summary>
public static class SeriesHierarchy
{
    public const string BottomUp = "bottom-up";

    /// <summary>Roll-up key → its leaf keys, for the roll-ups among <paramref name="keys"/> that have leaves.</summary>
    public static Dictionary<string, IReadOnlyList<string>> Rollups(IEnumerable<SeriesKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var all = keys.ToList();
        var leaves = all.Where(k => k.IsLeaf).ToList();
        return all.Where(k => !k.IsLeaf)
            .Select(r => (Rollup: r, Members: leaves.Where(r.Contains).Select(l => l.ToString()).ToList()))
            .Where(x => x.Members.Count > 0)
            .ToDictionary(x => x.Rollup.ToString(), x => (IReadOnlyList<string>)x.Members);
    }
}
