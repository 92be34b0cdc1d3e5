using System.Globalization;
using System.Text.RegularExpressions;
using Forecasting.Core.Usage;

namespace Forecasting.Data.Ingest;

/// <summary>Strict field parsing shared by the CSV and JSONL readers. Each method returns an error message or null.</summary>
internal static partial class FieldParser
{
    public const int MaxNameLength = UsageLimits.MaxNameLength;

    // ISO 8601 with an explicit offset: a time without one is a local time and ambiguous around DST.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|z|[+-]\d{2}:?\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoTimestamp();

    public static string? Timestamp(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return "is empty";
        }

        if (!IsoTimestamp().IsMatch(text))
        {
            return $"'{Clip(text)}' is not an ISO 8601 UTC time such as 2026-01-05T13:00:00Z";
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return $"'{Clip(text)}' is not a valid date and time";
        }

        value = parsed.ToUniversalTime();
        return null;
    }

    public static string? Count(string? text, out long value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return "is empty";
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return UsageLimits.CheckCount(value);
        }

        if (text.StartsWith('-'))
        {
            return $"'{Clip(text)}' is negative";
        }

        return text.All(char.IsAsciiDigit)
            ? $"'{Clip(text)}' overflows a 64-bit count"
            : $"'{Clip(text)}' is not a non-negative integer";
    }

    public static string? OptionalCount(string? text, out long? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var error = Count(text, out var parsed);
        value = parsed;
        return error;
    }

    public static string? OptionalNonNegative(string? text, double max, out double? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !double.IsFinite(parsed))
        {
            return $"'{Clip(text)}' is not a number";
        }

        if (parsed < 0)
        {
            return $"'{Clip(text)}' is negative";
        }

        value = parsed;
        return UsageLimits.CheckAmount(parsed, max);
    }

    public static string? Name(string? text, out string value)
    {
        value = text?.Trim() ?? "";
        return UsageLimits.CheckName(value);
    }

    public static string Clip(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
