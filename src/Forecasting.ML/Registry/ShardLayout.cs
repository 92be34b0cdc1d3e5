using System.Text;
using Forecasting.Core.Series;

namespace Forecasting.ML.Registry;

/// <summary>
/// How a sharded retrain splits the series: <see cref="Count"/> shards of leaf series, a leaf's shard being a
/// stable hash of its key (FNV-1a, 64 bit, of the key's UTF-8 bytes, then MurmurHash3's finaliser; never
/// <c>string.GetHashCode</c>, which differs between processes) modulo the count, plus one roll-up shard (index <see cref="Count"/>) holding
/// the roll-ups (<c>project/*</c>, <c>*/model</c>, <c>*/*</c>), which are trained as series of their own.
/// </summary>
public sealed record ShardLayout(int Count)
{
    /// <summary>The shards for <paramref name="leaves"/> leaf series at <paramref name="shardSize"/> series a shard; null when unsharded (size 0).</summary>
    public static ShardLayout? For(int leaves, int shardSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shardSize);
        return shardSize == 0 ? null : new ShardLayout(Math.Max(1, (leaves + shardSize - 1) / shardSize));
    }

    /// <summary>The roll-up shard's index: one past the leaf shards.</summary>
    public int Rollups => Count;

    /// <summary>Every shard to train: the leaf shards, then the roll-up shard.</summary>
    public IEnumerable<int> Shards => Enumerable.Range(0, Count + 1);

    /// <summary>The shard of a series: a leaf's by the hash of its key, a roll-up's is <see cref="Rollups"/>.</summary>
    public int ShardOf(SeriesKey key) => key.IsLeaf ? (int)(Mix(Hash(key.ToString())) % (ulong)Count) : Rollups;

    /// <summary>The series of one shard, in their order.</summary>
    public IReadOnlyList<HourlySeries> Select(IEnumerable<HourlySeries> series, int shard) => [.. series.Where(s => ShardOf(s.Key) == shard)];

    /// <summary>
    /// MurmurHash3's 64-bit finaliser: spreads every input bit over the low bits the modulo keeps (FNV-1a alone
    /// sends keys that differ in their last characters, as <c>tutor/gpt-4.1</c> and <c>tutor/gpt-4o</c>, to few shards).
    /// </summary>
    public static ulong Mix(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }

    /// <summary>FNV-1a, 64 bit, over the UTF-8 bytes: the same in every process, run and machine.</summary>
    public static ulong Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }

        return hash;
    }
}
