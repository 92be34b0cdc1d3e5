using System.Globalization;

namespace Forecasting.Core.Usage;

/// <summary>
/// The one validation of usage wherever it enters (CSV, JSONL, relay, OpenAI) and where the store
/// writes it. Names are printable, at most <see cref="MaxNameLength"/> characters, without the series
/// key's separator <c>/</c> and never the roll-up name <c>*</c>. Counts are at most
/// <see cref="MaxCount"/> (10^12), so that the sums the product makes (status totals over about nine
/// million rows at the bound, input + output, roll-ups) fit in 64 bits. Hours lie between
/// <see cref="FirstHour"/> and now + <see cref="MaxAhead"/>: a year-1 or year-9999 hour would make
/// every dense series millions of hours long.
/// </summary>
public static class UsageLimits
{
    public const int MaxNameLength = 200;

    /// <summary>The largest count (tokens, requests, errors) of one row: 10^12.</summary>
    public const long MaxCount = 1_000_000_000_000;

    /// <summary>The largest cost of one row, in USD.</summary>
    public const double MaxCostUsd = 1e9;

    /// <summary>The largest latency, in milliseconds (about 11.6 days).</summary>
    public const double MaxLatencyMs = 1e9;

    public static DateTimeOffset FirstHour { get; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TimeSpan MaxAhead { get; } = TimeSpan.FromDays(1);

    /// <summary>Why <paramref name="name"/> cannot be a model or project name, or null when it can.</summary>
    public static string? CheckName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "is empty";
        }

        if (name.Length > MaxNameLength)
        {
            return $"is {name.Length} characters long; at most {MaxNameLength}";
        }

        if (name.Trim().Length != name.Length)
        {
            return "starts or ends with white space";
        }

        if (name == "*")
        {
            return "'*' is reserved for roll-ups (all projects or all models)";
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '/')
            {
                return "contains '/', the separator of series keys (project/model)";
            }

            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
                continue;
            }

            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                return $"contains the unprintable character U+{(int)c:X4} at position {i + 1}";
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="value"/> cannot be a count, or null when it can.</summary>
    public static string? CheckCount(long value) => value switch
    {
        < 0 => $"{value} is negative",
        > MaxCount => $"{value} is more than {MaxCount} (10^12), the largest count of one row",
        _ => null,
    };

    /// <summary>Why <paramref name="value"/> cannot be a cost or latency, or null when it can.</summary>
    public static string? CheckAmount(double value, double max) => value switch
    {
        _ when !double.IsFinite(value) => $"{value.ToString(CultureInfo.InvariantCulture)} is not a finite number",
        < 0 => $"{value.ToString(CultureInfo.InvariantCulture)} is negative",
        _ when value > max => $"{value.ToString(CultureInfo.InvariantCulture)} is more than {max.ToString(CultureInfo.InvariantCulture)}",
        _ => null,
    };

    /// <summary>Why <paramref name="hour"/> cannot be a usage hour, or null when it can.</summary>
    public static string? CheckHour(DateTimeOffset hour, DateTimeOffset now)
    {
        if (hour < FirstHour)
        {
            return $"{Format(hour)} is before {UtcHour.Format(FirstHour)}";
        }

        if (hour > now + MaxAhead)
        {
            return $"{Format(hour)} is more than a day in the future";
        }

        return null;
    }

    /// <summary>The first field of <paramref name="row"/> that breaks a limit, with the reason; null when the row is valid.</summary>
    public static (string Field, string Reason)? Check(HourlyUsage row, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!UtcHour.IsOnTheHour(row.Hour))
        {
            return ("hour", $"{Format(row.Hour)} is not at the start of an hour");
        }

        if (CheckHour(row.Hour, now) is { } hourError)
        {
            return ("hour", hourError);
        }

        if (CheckName(row.Model) is { } modelError)
        {
            return ("model", modelError);
        }

        if (CheckName(row.Project) is { } projectError)
        {
            return ("project", projectError);
        }

        (string, long?)[] counts =
        [
            ("input_tokens", row.InputTokens), ("output_tokens", row.OutputTokens), ("requests", row.Requests),
            ("cached_input_tokens", row.CachedInputTokens), ("errors", row.Errors),
        ];
        foreach (var (field, value) in counts)
        {
            if (value is { } v && CheckCount(v) is { } countError)
            {
                return (field, countError);
            }
        }

        if (row.CachedInputTokens > row.InputTokens)
        {
            return ("cached_input_tokens", $"{row.CachedInputTokens} is more than input_tokens {row.InputTokens} (input_tokens includes cached ones)");
        }

        (string, double?, double)[] amounts =
        [
            ("cost_usd", row.CostUsd, MaxCostUsd), ("latency_ms_p50", row.LatencyMsP50, MaxLatencyMs), ("latency_ms_p95", row.LatencyMsP95, MaxLatencyMs),
        ];
        foreach (var (field, value, max) in amounts)
        {
            if (value is { } v && CheckAmount(v, max) is { } amountError)
            {
                return (field, amountError);
            }
        }

        return null;
    }

    private static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
