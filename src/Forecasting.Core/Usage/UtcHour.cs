namespace Forecasting.Core.Usage;

/// <summary>Helpers for the one time unit of the product: the UTC hour.</summary>
public static class UtcHour
{
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerHour), TimeSpan.Zero);
    }

    public static bool IsOnTheHour(DateTimeOffset value) => value.UtcTicks % TimeSpan.TicksPerHour == 0;

    public static DateTimeOffset FromUnixSeconds(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    public static string Format(DateTimeOffset hour) =>
        hour.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
