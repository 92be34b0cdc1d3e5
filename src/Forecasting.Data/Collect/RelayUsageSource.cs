using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Forecasting.Core.Usage;

namespace Forecasting.Data.Collect;

/// <summary>
/// The relay's own usage endpoint: <c>POST {base}/usage</c> with <c>{"start_date","end_date","granularity":"hourly"}</c>,
/// answering <c>{"usage":[{"timestamp","model","input_tokens","output_tokens","total_tokens","latency_ms","cost_usd"}]}</c>.
/// Entries may also carry <c>project</c>, <c>requests</c> and <c>cached_tokens</c>; entries of one hour × model × project are summed.
/// </summary>
public sealed class RelayUsageSource(Uri baseUrl, SourceHttpClient client, CollectorOptions options) : IUsageSource
{
    public string Name => "relay";

    public async Task<IReadOnlyList<HourlyUsage>> FetchAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var aggregator = new UsageAggregator();
        var endpoint = new Uri(baseUrl.ToString().TrimEnd('/') + "/usage");
        for (var start = UtcHour.Truncate(from); start < to; start += options.RelayChunk)
        {
            var end = start + options.RelayChunk < to ? start + options.RelayChunk : to;
            var body = new
            {
                start_date = UtcHour.Format(start),
                end_date = UtcHour.Format(end),
                granularity = "hourly",
            };
            var entries = await client.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = JsonContent.Create(body) },
                ParseEntries,
                cancellationToken);
            foreach (var entry in entries.Where(e => e.Hour >= start && e.Hour < end))
            {
                aggregator.Add(entry);
            }
        }

        return aggregator.ToList();
    }

    private List<HourlyUsage> ParseEntries(JsonElement root)
    {
        var usage = root.GetProperty("usage");
        var rows = new List<HourlyUsage>(usage.GetArrayLength());
        foreach (var entry in usage.EnumerateArray())
        {
            var input = entry.GetProperty("input_tokens").GetInt64();
            var output = entry.GetProperty("output_tokens").GetInt64();
            if (input < 0 || output < 0)
            {
                throw new FormatException($"negative token count in entry {entry.GetRawText()}");
            }

            rows.Add(new HourlyUsage
            {
                Hour = UtcHour.Truncate(ReadTimestamp(entry.GetProperty("timestamp"))),
                Model = entry.GetProperty("model").GetString() ?? throw new FormatException("model is null"),
                Project = OptionalString(entry, "project") ?? options.DefaultProject,
                InputTokens = input,
                OutputTokens = output,
                Requests = OptionalInt64(entry, "requests") ?? 0,
                CachedInputTokens = OptionalInt64(entry, "cached_tokens"),
                CostUsd = OptionalDouble(entry, "cost_usd"),
                LatencyMsP50 = OptionalDouble(entry, "latency_ms"),
            });
        }

        return rows;
    }

    private static DateTimeOffset ReadTimestamp(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => DateTimeOffset.FromUnixTimeSeconds(element.GetInt64()),
        JsonValueKind.String => DateTimeOffset.Parse(element.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime(),
        _ => throw new FormatException($"timestamp {element.GetRawText()} is neither a Unix time nor an ISO 8601 string"),
    };

    private static string? OptionalString(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    private static long? OptionalInt64(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt64() : null;

    private static double? OptionalDouble(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;
}
