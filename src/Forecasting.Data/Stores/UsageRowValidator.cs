using Forecasting.Core.Usage;

namespace Forecasting.Data.Stores;

/// <summary>
/// The store's last line of defence: parsers report bad input to users; this catches code that
/// would write a row the contract forbids.
/// </summary>
internal static class UsageRowValidator
{
    public static void EnsureValid(HourlyUsage row)
    {
        if (!UtcHour.IsOnTheHour(row.Hour) || row.Hour.Offset != TimeSpan.Zero)
        {
            throw new ArgumentException($"Usage hour {row.Hour:O} is not a UTC hour.", nameof(row));
        }

        if (row.InputTokens < 0 || row.OutputTokens < 0 || row.Requests < 0 || row.CachedInputTokens < 0 || row.Errors < 0)
        {
            throw new ArgumentException($"Usage row {row.Key} has a negative count.", nameof(row));
        }

        if (string.IsNullOrEmpty(row.Model) || string.IsNullOrEmpty(row.Project))
        {
            throw new ArgumentException("Usage row has an empty model or project.", nameof(row));
        }
    }
}
