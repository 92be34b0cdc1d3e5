using System.Globalization;
using System.Text.RegularExpressions;

namespace Forecasting.Core.Usage;

/// <summary>
/// The one rule for times a source writes without an offset (<c>2026-01-05T13:00:00</c>): refused, as a
/// local time is ambiguous around DST, unless the source is declared to write UTC (<c>assume_utc</c>).
/// </summary>
public static partial class SourceTime
{
    [GeneratedRegex(@"\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Offset();

    /// <summary>The reason <paramref name="text"/> is refused, or null with the time in <paramref name="value"/>.</summary>
    public static string? Parse(string text, bool assumeUtc, out DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        var trimmed = text.Trim();
        var hasOffset = Offset().IsMatch(trimmed);
        if (!DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return $"'{Clip(text)}' is neither a Unix time nor an ISO 8601 time";
        }

        if (!hasOffset && !assumeUtc)
        {
            // Short: source messages are clipped at 80 characters.
            return $"'{Clip(text)}' has no offset (ambiguous); assume_utc is off";
        }

        value = parsed.ToUniversalTime();
        return null;
    }

    private static string Clip(string text) => text.Length <= 30 ? text : text[..30] + "...";
}
