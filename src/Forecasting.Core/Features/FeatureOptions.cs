using Forecasting.Core.Forecasting;

namespace Forecasting.Core.Features;

/// <summary>Which features the pipeline builds. Changing them changes <see cref="FeaturePipeline.Version"/>.</summary>
public sealed record FeatureOptions
{
    public IReadOnlyList<int> Lags { get; init; } = [1, 2, 3, 24, 48, Horizon.HoursPerWeek];

    public IReadOnlyList<int> RollingWindows { get; init; } = [6, 12, 24, Horizon.HoursPerWeek];

    /// <summary>Mean of the same hour over the last N weeks (hour-of-week seasonality, robust to one odd week).</summary>
    public int SameHourWeeks { get; init; } = 2;

    /// <summary>Hour-of-day and day-of-week (sin/cos), weekend, business-hour and holiday flags. Needs real timestamps.</summary>
    public bool Calendar { get; init; } = true;

    /// <summary>Local dates flagged as holidays for every series when <see cref="Calendar"/> is on (settings: <c>holidays.dates</c>).</summary>
    public IReadOnlyList<DateOnly> Holidays { get; init; } = [];

    /// <summary>Project → its own holiday dates, besides <see cref="Holidays"/> (settings: <c>holidays.projects</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<DateOnly>> ProjectHolidays { get; init; } = new Dictionary<string, IReadOnlyList<DateOnly>>();

    /// <summary>
    /// IANA time zone of projects not in <see cref="ProjectTimeZones"/> and of the roll-ups across projects
    /// (<c>*/model</c>, <c>*/*</c>); UTC by default (settings: <c>time_zones.default</c>).
    /// </summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Project → IANA time zone its calendar features are computed in (settings: <c>time_zones.projects</c>).</summary>
    public IReadOnlyDictionary<string, string> ProjectTimeZones { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The calendar of a series (<c>project/model</c>): its project's zone and holidays plus the common ones; a
    /// project roll-up (<c>project/*</c>) is its project's; a series of every project (<c>*/model</c>, <c>*/*</c>)
    /// or without a key has the default zone and the common holidays only.
    /// </summary>
    public SeriesCalendar CalendarOf(string? series)
    {
        var slash = series?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        var project = series is null ? null : slash < 0 ? series : series[..slash];
        var zone = project is not null && ProjectTimeZones.TryGetValue(project, out var own) ? own : TimeZone;
        var holidays = project is not null && ProjectHolidays.TryGetValue(project, out var dates) ? Holidays.Concat(dates) : Holidays;
        return new SeriesCalendar(FindZone(zone), holidays);
    }

    /// <summary>
    /// What the calendar is (zones and holidays), in one comparable string: a model is served with the calendar it was
    /// trained with, and a different one in the settings is reported.
    /// </summary>
    public string CalendarDescription() =>
        !Calendar
            ? "none"
            : $"zone {TimeZone}; zones {string.Join(", ", ProjectTimeZones.OrderBy(z => z.Key, StringComparer.Ordinal).Select(z => $"{z.Key}={z.Value}"))}; "
              + $"holidays {string.Join(",", Holidays.Order())}; "
              + $"project holidays {string.Join("; ", ProjectHolidays.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={string.Join(",", p.Value.Order())}"))}";

    /// <summary>A time zone by IANA id (or Windows id where the system knows it); a user error naming it when unknown.</summary>
    public static TimeZoneInfo FindZone(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id is "UTC" or "Etc/UTC")
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidInputException($"unknown time zone '{Planning.PlanningSettings.Shown(id)}': give an IANA name such as America/New_York or Europe/Paris (the system's tzdata must be installed)");
        }
    }
}
