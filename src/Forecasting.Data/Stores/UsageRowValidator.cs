using Forecasting.Core.Usage;

namespace Forecasting.Data.Stores;

/// <summary>
/// The store's last line of defence: parsers and collectors report bad input to users with
/// <see cref="UsageLimits"/>; this catches code that would write a row the contract forbids.
/// </summary>
internal static class UsageRowValidator
{
    public static void EnsureValid(HourlyUsage row)
    {
        if (row.Hour.Offset != TimeSpan.Zero)
        {
            throw new ArgumentException($"Usage hour {row.Hour:O} is not a UTC hour.", nameof(row));
        }

        // A day of slack beyond the parsers' own bound: rows validated against a clock a little behind still store.
        if (UsageLimits.Check(row, DateTimeOffset.UtcNow.AddDays(1)) is var (field, reason))
        {
            throw new ArgumentException($"Usage row {UtcHour.Format(row.Hour)} {FieldClip(row.Project)}/{FieldClip(row.Model)}: {field}: {reason}", nameof(row));
        }
    }

    private static string FieldClip(string? text) =>
        text is null ? "" : text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
