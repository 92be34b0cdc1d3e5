namespace Forecasting.ML.Models.FastTree;

/// <summary>
/// Which (series, hour) rows train the global model when there are more than the row budget: series are
/// split into size strata (by level, so small and large series are both seen), each stratum gets an equal
/// share of the budget, and inside a stratum the share is spread evenly over its series (a series with fewer
/// candidate rows than its share gives the rest to the others). The hours of a series are a uniform sample
/// of its candidate hours. Seeded: the same inputs always give the same rows, whatever the thread timing.
/// </summary>
internal static class TrainingSample
{
    /// <summary>Strata of series size; fewer when there are fewer series.</summary>
    public const int Strata = 4;

    /// <summary>One series' candidate rows: hours <see cref="From"/>..<see cref="To"/> (exclusive); <see cref="Size"/> orders the strata.</summary>
    public readonly record struct Candidate(int From, int To, double Size)
    {
        public int Count => Math.Max(0, To - From);
    }

    /// <summary>Per series (same order as <paramref name="candidates"/>), the sorted hours to train on.</summary>
    public static int[][] Pick(IReadOnlyList<Candidate> candidates, int budget, int seed)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var picked = new int[candidates.Count][];
        var total = candidates.Sum(c => (long)c.Count);
        if (total <= budget)
        {
            for (var i = 0; i < candidates.Count; i++)
            {
                picked[i] = [.. Enumerable.Range(candidates[i].From, candidates[i].Count)];
            }

            return picked;
        }

        var quotas = Quotas(candidates, Math.Max(0, budget), seed);
        for (var i = 0; i < candidates.Count; i++)
        {
            picked[i] = Hours(candidates[i], quotas[i], new Random(unchecked((seed * 7919) + i)));
        }

        return picked;
    }

    /// <summary>Rows per series: an equal budget per size stratum, spread evenly (water-filling) over its series.</summary>
    internal static int[] Quotas(IReadOnlyList<Candidate> candidates, int budget, int seed)
    {
        var quotas = new int[candidates.Count];
        // Series ordered by size (ties by index, so the order is stable), cut into strata of equal series count.
        var bySize = Enumerable.Range(0, candidates.Count).Where(i => candidates[i].Count > 0)
            .OrderBy(i => candidates[i].Size).ThenBy(i => i).ToList();
        var strata = Math.Min(Strata, bySize.Count);
        var random = new Random(seed);
        var left = (long)budget;
        for (var s = 0; s < strata; s++)
        {
            var members = bySize.Skip(s * bySize.Count / strata).Take(((s + 1) * bySize.Count / strata) - (s * bySize.Count / strata)).ToList();
            // An equal share of what is left, so a stratum that cannot use its share passes it to the next.
            var share = left / (strata - s);
            // Smallest first: a series with few rows takes them all and the rest is shared by the others. Among equal
            // counts the order is shuffled (seeded), so which series get one row more is not decided by their index.
            var order = members.Select(i => (Index: i, Tie: random.Next())).OrderBy(x => candidates[x.Index].Count).ThenBy(x => x.Tie).Select(x => x.Index).ToList();
            var remaining = share;
            for (var k = 0; k < order.Count; k++)
            {
                var fair = remaining / (order.Count - k);
                var take = (int)Math.Min(candidates[order[k]].Count, fair);
                if (take == 0 && remaining > 0)
                {
                    // Fewer rows than series: a seeded random subset of the stratum's series get one row each.
                    take = random.Next(order.Count - k) < remaining ? 1 : 0;
                }

                quotas[order[k]] = take;
                remaining -= take;
            }

            left -= share - remaining;
        }

        return quotas;
    }

    /// <summary>A uniform sample of <paramref name="count"/> hours of the candidate range, in order (selection sampling).</summary>
    private static int[] Hours(Candidate candidate, int count, Random random)
    {
        var n = candidate.Count;
        if (count >= n)
        {
            return [.. Enumerable.Range(candidate.From, n)];
        }

        var hours = new int[count];
        var chosen = 0;
        for (var t = 0; t < n && chosen < count; t++)
        {
            // Take hour t with probability (still needed) / (still available): exactly count hours, each equally likely.
            if (random.Next(n - t) < count - chosen)
            {
                hours[chosen++] = candidate.From + t;
            }
        }

        return hours;
    }
}
