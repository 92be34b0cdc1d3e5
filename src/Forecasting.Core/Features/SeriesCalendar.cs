namespace Forecasting.Core.Features;

/// <summary>
/// The calendar of one series: the time zone its hours are read in (hour of day, day of week, weekend,
/// business hours) and the local dates that are holidays for it. Made by <see cref="FeatureOptions.CalendarOf"/>.
/// </summary>
public sealed class SeriesCalendar
{
    public SeriesCalendar(TimeZoneInfo zone, IEnumerable<DateOnly> holidays)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(holidays);
        Zone = zone;
        Holidays = holidays.ToHashSet();
    }

    public static SeriesCalendar Utc { get; } = new(TimeZoneInfo.Utc, []);

    public TimeZoneInfo Zone { get; }

    public IReadOnlySet<DateOnly> Holidays { get; }

    /// <summary>The wall-clock time of <paramref name="hour"/> in the series' zone (each UTC hour maps to one local time; DST only shifts the offset).</summary>
    public DateTime Local(DateTimeOffset hour) => TimeZoneInfo.ConvertTime(hour, Zone).DateTime;

    public bool IsHoliday(DateTime local) => Holidays.Contains(DateOnly.FromDateTime(local));
}
