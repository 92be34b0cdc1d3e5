using Forecasting.Core.Forecasting;

namespace Forecasting.Api.Services;

/// <summary>Which forecast hour answers for an instant.</summary>
internal static class ForecastLookup
{
    /// <summary>
    /// The point whose hour [hour, hour + 1 h) contains <paramref name="at"/>; the first point when
    /// <paramref name="at"/> is before the forecast, the last when it is beyond it; null when there are no points.
    /// </summary>
    public static ForecastPoint? At(IReadOnlyList<ForecastPoint> points, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return null;
        }

        // Before the forecast, beyond it (a stale run is asked about every poll) or in a gap: a binary search when the
        // hours are in order, as they are in a stored run, and a sort only when they are not.
        return ByArithmetic(points, at) ?? (IsOrdered(points) ? Search(points, at) : Search(points.OrderBy(p => p.Hour).ToList(), at));
    }

    /// <summary><see cref="At"/> on points known to be in hour order (a stored run's, ordered once): no check, no sort.</summary>
    public static ForecastPoint AtOrdered(ForecastPoint[] ordered, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfZero(ordered.Length);
        System.Diagnostics.Debug.Assert(IsOrdered(ordered), "points out of hour order");
        return ByArithmetic(ordered, at) ?? Search(ordered, at);
    }

    /// <summary>
    /// Stored runs hold consecutive hours in order, so the hour is found by arithmetic (this runs on every autoscale
    /// request) and only checked: the point containing the instant, or null when the arithmetic misses (before the
    /// forecast, beyond it, a gap or disorder).
    /// </summary>
    private static ForecastPoint? ByArithmetic(IReadOnlyList<ForecastPoint> points, DateTimeOffset at)
    {
        var first = points[0].Hour;
        if (at < first)
        {
            return null;
        }

        var candidate = points[(int)Math.Min(points.Count - 1, (at - first).Ticks / TimeSpan.TicksPerHour)];
        return candidate.Hour <= at && at < candidate.Hour.AddHours(1) ? candidate : null;
    }

    /// <summary>The rule on hours in order: the last point whose hour is at or before the instant when it contains it, the first when none is, else the last point.</summary>
    private static ForecastPoint Search(IReadOnlyList<ForecastPoint> ordered, DateTimeOffset at)
    {
        // The number of points whose hour is at or before the instant (ties stay in order, so the last of them is the one a stable sort puts last).
        int low = 0, high = ordered.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (ordered[middle].Hour <= at)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        if (low == 0)
        {
            return ordered[0];
        }

        // An earlier point's hour ends no later than this one's, so if this one does not contain the instant none does.
        var candidate = ordered[low - 1];
        return at < candidate.Hour.AddHours(1) ? candidate : ordered[^1];
    }

    private static bool IsOrdered(IReadOnlyList<ForecastPoint> points)
    {
        for (var i = 1; i < points.Count; i++)
        {
            if (points[i].Hour < points[i - 1].Hour)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The hour after the current one.</summary>
    public static ForecastPoint? NextHour(IReadOnlyList<ForecastPoint> points, DateTimeOffset now) => At(points, now.AddHours(1));
}
