using System.Globalization;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;

namespace Forecasting.Application;

/// <summary>
/// What a training saw of the store, in one comparable string: rows, first and last hour, models,
/// projects, token and request totals. The same string from the store's summary (one query, no rows
/// read) and from the rows a training loaded means the data did not change in between. Cost is left
/// out: summed in SQL and in .NET, floating point may differ in the last digit.
/// </summary>
public static class UsageFingerprint
{
    public static string Of(UsageSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return Format(summary.Rows, summary.FirstHour, summary.LastHour, summary.Models, summary.Projects, summary.InputTokens, summary.OutputTokens, summary.Requests);
    }

    public static string Of(IReadOnlyList<HourlyUsage> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        DateTimeOffset? first = null, last = null;
        long input = 0, output = 0, requests = 0;
        var models = new HashSet<string>(StringComparer.Ordinal);
        var projects = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            first = first is { } f && f <= row.Hour ? f : row.Hour;
            last = last is { } l && l >= row.Hour ? l : row.Hour;
            input = Add(input, row.InputTokens);
            output = Add(output, row.OutputTokens);
            requests = Add(requests, row.Requests);
            models.Add(row.Model);
            projects.Add(row.Project);
        }

        return Format(rows.Count, first, last, models.Count, projects.Count, input, output, requests);
    }

    // As the stores' summaries: totals saturate instead of overflowing.
    private static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    private static string Format(long rows, DateTimeOffset? first, DateTimeOffset? last, int models, int projects, long input, long output, long requests) =>
        string.Create(CultureInfo.InvariantCulture, $"rows={rows};first={first?.ToUniversalTime():yyyy-MM-ddTHH}Z;last={last?.ToUniversalTime():yyyy-MM-ddTHH}Z;models={models};projects={projects};input={input};output={output};requests={requests}");
}
