using Forecasting.Core;
using Forecasting.Core.Usage;

namespace Forecasting.Data.Collect;

/// <summary>
/// What a source sent that the product refuses, each as <c>source:bucket: field: reason</c>. Any
/// problem refuses the whole collection (nothing is stored): a user error, like a bad file.
/// </summary>
internal sealed class SourceProblems(string source)
{
    private const int Shown = 10;
    private readonly List<string> _messages = [];

    public int Count { get; private set; }

    public void Add(string where, string field, string reason)
    {
        Count++;
        if (_messages.Count < Shown)
        {
            _messages.Add($"{source}:{Printable(where)}: {field}: {Printable(reason)}");
        }
    }

    /// <summary>Checks a row against <see cref="UsageLimits"/>; false (and a problem) when it breaks one.</summary>
    /// <param name="row">The row as the source gave it.</param>
    /// <param name="where">Which bucket or entry, for the message.</param>
    /// <param name="now">The clock's time, for the hour bound.</param>
    /// <param name="sourceFields">The source's names of the usage CSV's fields, so the message names what the source sent.</param>
    public bool Check(HourlyUsage row, string where, DateTimeOffset now, IReadOnlyDictionary<string, string> sourceFields)
    {
        if (UsageLimits.Check(row, now) is var (field, reason))
        {
            Add(where, sourceFields.GetValueOrDefault(field, field), reason);
            return false;
        }

        return true;
    }

    public void ThrowIfAny()
    {
        if (Count == 0)
        {
            return;
        }

        var more = Count > _messages.Count ? $"\n  ... and {Count - _messages.Count} more" : "";
        throw new InvalidInputException(
            $"the {source} source sent {Count} usage record(s) that break the limits; nothing was stored:\n  {string.Join("\n  ", _messages)}{more}");
    }

    /// <summary>Source text in a message: clipped, control characters shown as code points (no terminal escapes).</summary>
    public static string Printable(string text)
    {
        var clipped = text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
        return string.Concat(clipped.Select(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format
            ? $"\\u{(int)c:X4}"
            : c.ToString()));
    }
}
