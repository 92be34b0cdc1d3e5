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

        // Stored runs hold consecutive hours in order, so the hour is found by arithmetic (this runs on every
        // autoscale request) and only checked; gaps or disorder take the general path below.
        var first = points[0].Hour;
        if (at >= first)
        {
            var candidate = points[(int)Math.Min(points.Count - 1, (at - first).Ticks / TimeSpan.TicksPerHour)];
            if (candidate.Hour <= at && at < candidate.Hour.AddHours(1))
            {
                return candidate;
            }
        }

        var ordered = points.OrderBy(p => p.Hour).ToList();
        if (at < ordered[0].Hour)
        {
            return ordered[0];
        }

        return ordered.LastOrDefault(p => p.Hour <= at && at < p.Hour.AddHours(1)) is { } inside ? inside : ordered[^1];
    }

    /// <summary>The hour after the current one.</summary>
    public static ForecastPoint? NextHour(IReadOnlyList<ForecastPoint> points, DateTimeOffset now) => At(points, now.AddHours(1));
}
