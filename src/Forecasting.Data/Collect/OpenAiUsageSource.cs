using System.Globalization;
using System.Text.Json;
using Forecasting.Core.Usage;

namespace Forecasting.Data.Collect;

/// <summary>
/// The OpenAI organization usage API (completions), hourly buckets grouped by model and project,
/// following <c>next_page</c> while <c>has_more</c>. <c>input_tokens</c> includes cached input,
/// which is also kept separately. Buckets without results stay absent: a gap, not a zero.
/// </summary>
public sealed class OpenAiUsageSource(Uri baseUrl, SourceHttpClient client, CollectorOptions options) : IUsageSource
{
    /// <summary>Guards against a server that says has_more forever.</summary>
    private const int MaxPages = 100_000;

    public string Name => "openai";

    public async Task<IReadOnlyList<HourlyUsage>> FetchAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var aggregator = new UsageAggregator();
        var start = UtcHour.Truncate(from).ToUnixTimeSeconds();
        var end = to.ToUnixTimeSeconds();
        string? page = null;
        for (var pages = 0; pages < MaxPages; pages++)
        {
            var query = string.Create(CultureInfo.InvariantCulture,
                $"start_time={start}&end_time={end}&bucket_width=1h&group_by=model&group_by=project_id&limit={options.PageLimit}");
            if (page is not null)
            {
                query += "&page=" + Uri.EscapeDataString(page);
            }

            var uri = new Uri(baseUrl.ToString().TrimEnd('/') + "/organization/usage/completions?" + query);
            var result = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), ParsePage, cancellationToken);
            foreach (var row in result.Rows.Where(r => r.Hour >= from && r.Hour < to))
            {
                aggregator.Add(row);
            }

            if (!result.HasMore)
            {
                return aggregator.ToList();
            }

            if (string.IsNullOrEmpty(result.NextPage) || result.NextPage == page)
            {
                throw new SourceException("the usage API said has_more but gave no new next_page cursor");
            }

            page = result.NextPage;
        }

        throw new SourceException($"the usage API kept paging beyond {MaxPages} pages");
    }

    private static Page ParsePage(JsonElement root)
    {
        var rows = new List<HourlyUsage>();
        foreach (var bucket in root.GetProperty("data").EnumerateArray())
        {
            var hour = UtcHour.Truncate(DateTimeOffset.FromUnixTimeSeconds(bucket.GetProperty("start_time").GetInt64()));
            if (!bucket.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var result in results.EnumerateArray())
            {
                var input = Int64(result, "input_tokens");
                var output = Int64(result, "output_tokens");
                var requests = Int64(result, "num_model_requests");
                var cached = result.TryGetProperty("input_cached_tokens", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt64() : (long?)null;
                if (input < 0 || output < 0 || requests < 0 || cached < 0)
                {
                    throw new FormatException($"negative count in result {result.GetRawText()}");
                }

                rows.Add(new HourlyUsage
                {
                    Hour = hour,
                    Model = String(result, "model") ?? "unknown",
                    Project = String(result, "project_id") ?? "default",
                    InputTokens = input,
                    OutputTokens = output,
                    Requests = requests,
                    CachedInputTokens = cached,
                });
            }
        }

        var hasMore = root.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True;
        var next = root.TryGetProperty("next_page", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new Page(rows, hasMore, next);
    }

    private static long Int64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt64() : 0;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    private sealed record Page(List<HourlyUsage> Rows, bool HasMore, string? NextPage);
}
