using System.Globalization;
using System.Text.Json;
using Forecasting.Core.Usage;

namespace Forecasting.Data.Collect;

/// <summary>
/// The OpenAI organization usage API (completions), hourly buckets grouped by model and project,
/// following <c>next_page</c> while <c>has_more</c>. <c>input_tokens</c> includes cached input,
/// which is also kept separately. Buckets without results stay absent: a gap, not a zero.
/// The source's word is stored once: a bucket that comes again on a later page is the same bucket
/// (identical results collapse, different ones refuse the collection), a bucket not on the hour is
/// refused, and a cursor seen before, or more pages than the window needs, stops the collection.
/// </summary>
public sealed class OpenAiUsageSource(Uri baseUrl, SourceHttpClient client, CollectorOptions options) : IUsageSource
{
    private static readonly Dictionary<string, string> SourceFields = new()
    {
        ["hour"] = "start_time",
        ["project"] = "project_id",
        ["requests"] = "num_model_requests",
        ["cached_input_tokens"] = "input_cached_tokens",
    };

    private readonly Uri _baseUrl = SourceHttpClient.WithoutCredentials(baseUrl);

    public string Name => "openai";

    public async Task<IReadOnlyList<HourlyUsage>> FetchAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = options.Clock;
        var started = clock.GetTimestamp();
        var now = clock.GetUtcNow();
        var rows = new Dictionary<UsageKey, HourlyUsage>();
        var problems = new SourceProblems(Name);
        var start = UtcHour.Truncate(from).ToUnixTimeSeconds();
        var end = to.ToUnixTimeSeconds();
        var limit = Math.Max(1, options.PageLimit);
        var maxPages = options.MaxPages ?? (int)Math.Min(100_000, (2 * Math.Ceiling((end - start) / 3600d / limit)) + 10);
        var cursors = new HashSet<string>(StringComparer.Ordinal);
        string? page = null;
        for (var pages = 1; ; pages++)
        {
            if (pages > maxPages)
            {
                throw new SourceException($"the usage API was still paging after {maxPages} pages for {(end - start) / 3600} hours at {limit} buckets a page; stopped (nothing stored)");
            }

            if (clock.GetElapsedTime(started) > options.MaxDuration)
            {
                throw new SourceException($"the usage API was still paging after {options.MaxDuration.TotalSeconds:0} s and {pages - 1} pages; stopped (nothing stored)");
            }

            var query = string.Create(CultureInfo.InvariantCulture,
                $"start_time={start}&end_time={end}&bucket_width=1h&group_by=model&group_by=project_id&limit={limit}");
            if (page is not null)
            {
                query += "&page=" + Uri.EscapeDataString(page);
            }

            var uri = new Uri(_baseUrl.ToString().TrimEnd('/') + "/organization/usage/completions?" + query);
            var result = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), root => ParsePage(root, pages), cancellationToken);
            foreach (var (where, reason) in result.Problems)
            {
                problems.Add(where.Where, where.Field, reason);
            }

            foreach (var (row, where) in result.Rows)
            {
                if (row.Hour < from || row.Hour >= to || !problems.Check(row, where, now, SourceFields))
                {
                    continue;
                }

                if (!rows.TryGetValue(row.Key, out var earlier))
                {
                    rows[row.Key] = row;
                }
                else if (earlier != row)
                {
                    problems.Add(where, "results", $"{row.Project}/{row.Model} came twice with different counts "
                        + $"(input_tokens {earlier.InputTokens} and {row.InputTokens}, output_tokens {earlier.OutputTokens} and {row.OutputTokens}, "
                        + $"num_model_requests {earlier.Requests} and {row.Requests}); which one is right is unknown");
                }
            }

            if (!result.HasMore)
            {
                break;
            }

            if (string.IsNullOrEmpty(result.NextPage))
            {
                throw new SourceException("the usage API said has_more but gave no next_page cursor");
            }

            if (!cursors.Add(result.NextPage))
            {
                throw new SourceException($"the usage API sent the cursor of an earlier page again after {pages} pages (a cycle); stopped (nothing stored)");
            }

            page = result.NextPage;
        }

        problems.ThrowIfAny();
        return [.. rows.Values
            .OrderBy(r => r.Hour)
            .ThenBy(r => r.Project, StringComparer.Ordinal)
            .ThenBy(r => r.Model, StringComparer.Ordinal)];
    }

    private Page ParsePage(JsonElement root, int pageNumber)
    {
        var rows = new List<(HourlyUsage, string)>();
        var problems = new List<((string Where, string Field), string)>();
        var index = 0;
        foreach (var bucket in root.GetProperty("data").EnumerateArray())
        {
            index++;
            var where = $"page {pageNumber} bucket {index}";
            if (!bucket.TryGetProperty("start_time", out var startElement) || !startElement.TryGetInt64(out var startTime))
            {
                problems.Add(((where, "start_time"), "is missing or not an integer Unix time"));
                continue;
            }

            if (startTime < UsageLimits.FirstHour.ToUnixTimeSeconds() || startTime > DateTimeOffset.MaxValue.ToUnixTimeSeconds() - 86_400)
            {
                problems.Add(((where, "start_time"), $"{startTime} is not a time from {UtcHour.Format(UsageLimits.FirstHour)} to year 9999"));
                continue;
            }

            var hour = DateTimeOffset.FromUnixTimeSeconds(startTime);
            where = $"bucket {UtcHour.Format(UtcHour.Truncate(hour))}";
            if (!UtcHour.IsOnTheHour(hour))
            {
                problems.Add(((where, "start_time"), $"{hour.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} is not at the start of an hour (1h buckets only)"));
                continue;
            }

            if (!bucket.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var result in results.EnumerateArray())
            {
                var model = options.Aliases.Canonical(String(result, "model")?.Trim() ?? "unknown");
                var project = String(result, "project_id")?.Trim() ?? options.DefaultProject;
                var bad = false;
                long? Count(string name)
                {
                    if (!result.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
                    {
                        return null;
                    }

                    if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v))
                    {
                        return v;
                    }

                    problems.Add(((where, name), $"'{e.GetRawText()}' is not a 64-bit integer count"));
                    bad = true;
                    return 0;
                }

                var row = new HourlyUsage
                {
                    Hour = hour,
                    Model = model,
                    Project = project,
                    InputTokens = Count("input_tokens") ?? 0,
                    OutputTokens = Count("output_tokens") ?? 0,
                    Requests = Count("num_model_requests") ?? 0,
                    CachedInputTokens = Count("input_cached_tokens"),
                };
                if (!bad)
                {
                    rows.Add((row, where));
                }
            }
        }

        var hasMore = root.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True;
        var next = root.TryGetProperty("next_page", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new Page(rows, problems, hasMore, next);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    private sealed record Page(List<(HourlyUsage Row, string Where)> Rows, List<((string Where, string Field) Where, string Reason)> Problems, bool HasMore, string? NextPage);
}
