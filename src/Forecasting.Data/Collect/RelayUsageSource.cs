using System.Globalization;
using System.Text.Json;
using Forecasting.Core.Usage;

namespace Forecasting.Data.Collect;

/// <summary>
/// The relay's own usage endpoint: <c>POST {base}/usage</c> with <c>{"start_date","end_date","granularity":"hourly"}</c>,
/// answering <c>{"usage":[{"timestamp","model","input_tokens","output_tokens","total_tokens","latency_ms","cost_usd"}]}</c>.
/// Entries may also carry <c>project</c>, <c>requests</c> and <c>cached_tokens</c>; entries of one hour × model × project are summed
/// (the relay reports finer entries than hours). Each entry and each hour's sum is checked against <see cref="UsageLimits"/>.
/// </summary>
public sealed class RelayUsageSource(Uri baseUrl, SourceHttpClient client, CollectorOptions options) : IUsageSource
{
    private static readonly Dictionary<string, string> SourceFields = new()
    {
        ["hour"] = "timestamp",
        ["cached_input_tokens"] = "cached_tokens",
        ["latency_ms_p50"] = "latency_ms",
    };

    private readonly Uri _baseUrl = SourceHttpClient.WithoutCredentials(baseUrl);

    public string Name => "relay";

    public async Task<IReadOnlyList<HourlyUsage>> FetchAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = options.Clock;
        var started = clock.GetTimestamp();
        var now = clock.GetUtcNow();
        var problems = new SourceProblems(Name);
        var aggregator = new UsageAggregator();
        var endpoint = new Uri(_baseUrl.ToString().TrimEnd('/') + "/usage");
        for (var start = UtcHour.Truncate(from); start < to; start += options.RelayChunk)
        {
            if (clock.GetElapsedTime(started) > options.MaxDuration)
            {
                throw new SourceException($"the relay collection took longer than {options.MaxDuration.TotalSeconds:0} s; stopped (nothing stored)");
            }

            var end = start + options.RelayChunk < to ? start + options.RelayChunk : to;
            var query = new Dictionary<string, string>
            {
                ["start_date"] = options.RelayDateOnly ? Date(start) : UtcHour.Format(start),
                // Dates are inclusive: the last day asked is the day of the window's last hour.
                ["end_date"] = options.RelayDateOnly ? Date(end.AddHours(-1)) : UtcHour.Format(end),
                ["granularity"] = "hourly",
            };
            // Serialised up front: the body goes with a Content-Length, for relays that do not take chunked bodies.
            var body = JsonSerializer.SerializeToUtf8Bytes(query);
            var address = options.RelayGet
                ? new Uri(endpoint + "?" + string.Join('&', query.Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}")))
                : endpoint;
            var entries = await client.SendAsync(
                () => options.RelayGet
                    ? new HttpRequestMessage(HttpMethod.Get, address)
                    : new HttpRequestMessage(HttpMethod.Post, address) { Content = JsonBody(body) },
                root => ParseEntries(root, now),
                cancellationToken);
            foreach (var (where, field, reason) in entries.Problems)
            {
                problems.Add($"{where} of {UtcHour.Format(start)}..{UtcHour.Format(end)}", field, reason);
            }

            foreach (var entry in entries.Rows.Where(e => e.Hour >= start && e.Hour < end))
            {
                try
                {
                    aggregator.Add(entry);
                }
                catch (OverflowException)
                {
                    problems.Add($"hour {UtcHour.Format(entry.Hour)}", "usage", $"the entries of {entry.Project}/{entry.Model} sum beyond 64 bits");
                }
            }
        }

        var rows = aggregator.ToList();
        foreach (var row in rows)
        {
            // Each entry is within the limits; their hourly sum must be too.
            problems.Check(row, $"hour {UtcHour.Format(row.Hour)} {row.Project}/{row.Model} (sum of its entries)", now, SourceFields);
        }

        problems.ThrowIfAny();
        return rows;
    }

    private static string Date(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static ByteArrayContent JsonBody(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private Entries ParseEntries(JsonElement root, DateTimeOffset now)
    {
        var usage = root.GetProperty("usage");
        var rows = new List<HourlyUsage>(usage.GetArrayLength());
        var problems = new List<(string, string, string)>();
        var index = 0;
        foreach (var entry in usage.EnumerateArray())
        {
            index++;
            var where = $"entry {index}";
            string? field = null;
            string? reason = null;
            void Fail(string f, string r)
            {
                field ??= f;
                reason ??= r;
            }

            var hour = ReadHour(entry, options.AssumeUtc, Fail);
            if (hour is { } h)
            {
                where = $"entry {index} ({UtcHour.Format(h)})";
            }

            var rawModel = String(entry, "model", Fail, required: true);
            var model = rawModel is null ? null : options.Aliases.Canonical(rawModel);
            var project = String(entry, "project", Fail, required: false) ?? options.DefaultProject;
            var input = Count(entry, "input_tokens", Fail, required: true) ?? 0;
            var output = Count(entry, "output_tokens", Fail, required: true) ?? 0;
            var requests = Count(entry, "requests", Fail, required: false) ?? 0;
            var cached = Count(entry, "cached_tokens", Fail, required: false);
            var cost = Amount(entry, "cost_usd", Fail);
            var latency = Amount(entry, "latency_ms", Fail);
            if (field is not null)
            {
                problems.Add((where, field, reason!));
                continue;
            }

            var row = new HourlyUsage
            {
                Hour = hour!.Value,
                Model = model!,
                Project = project,
                InputTokens = input,
                OutputTokens = output,
                Requests = requests,
                CachedInputTokens = cached,
                CostUsd = cost,
                LatencyMsP50 = latency,
            };
            if (UsageLimits.Check(row, now) is var (badField, badReason))
            {
                problems.Add((where, SourceFields.GetValueOrDefault(badField, badField), badReason));
                continue;
            }

            rows.Add(row);
        }

        return new Entries(rows, problems);
    }

    private static DateTimeOffset? ReadHour(JsonElement entry, bool assumeUtc, Action<string, string> fail)
    {
        if (!entry.TryGetProperty("timestamp", out var element))
        {
            fail("timestamp", "is missing");
            return null;
        }

        DateTimeOffset? time = null;
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var seconds)
            && seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        else if (element.ValueKind == JsonValueKind.String)
        {
            if (SourceTime.Parse(element.GetString()!, assumeUtc, out var parsed) is { } reason)
            {
                fail("timestamp", reason);
                return null;
            }

            time = parsed;
        }

        if (time is null)
        {
            fail("timestamp", $"'{element.GetRawText()}' is neither a Unix time nor an ISO 8601 time");
            return null;
        }

        return UtcHour.Truncate(time.Value);
    }

    private static string? String(JsonElement entry, string name, Action<string, string> fail, bool required)
    {
        if (!entry.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                fail(name, "is missing");
            }

            return null;
        }

        if (e.ValueKind != JsonValueKind.String)
        {
            fail(name, $"'{e.GetRawText()}' is not a string");
            return null;
        }

        return e.GetString()!.Trim();
    }

    private static long? Count(JsonElement entry, string name, Action<string, string> fail, bool required)
    {
        if (!entry.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                fail(name, "is missing");
            }

            return null;
        }

        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var value))
        {
            return value;
        }

        fail(name, $"'{e.GetRawText()}' is not a 64-bit integer count");
        return null;
    }

    private static double? Amount(JsonElement entry, string name, Action<string, string> fail)
    {
        if (!entry.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var value) && double.IsFinite(value))
        {
            return value;
        }

        fail(name, $"'{e.GetRawText()}' is not a finite number");
        return null;
    }

    private sealed record Entries(List<HourlyUsage> Rows, List<(string Where, string Field, string Reason)> Problems);
}
