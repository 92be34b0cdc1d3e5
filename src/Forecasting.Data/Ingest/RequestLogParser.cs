using System.Text;
using System.Text.Json;
using Forecasting.Core.Usage;

namespace Forecasting.Data.Ingest;

/// <summary>
/// Reads a request log (JSONL, one request per line) and aggregates it to usage hours:
/// tokens summed, requests counted, latency p50/p95 over the hour's requests, errors counted.
/// </summary>
public static class RequestLogParser
{
    private const int MaxLineLength = 1 << 20;

    public static ParsedUsage Parse(string path, TimeProvider? clock = null, ModelAliases? aliases = null)
    {
        using var stream = File.OpenRead(path);
        return Parse(stream, path, clock, aliases);
    }

    public static ParsedUsage Parse(Stream stream, string fileName, TimeProvider? clock = null, ModelAliases? aliases = null)
    {
        aliases ??= ModelAliases.Default;
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var errors = new List<IngestError>();
        var hours = new Dictionary<UsageKey, HourAccumulator>();
        long records = 0;
        long lineNumber = 0;
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        try
        {
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                records++;
                if (line.Length > MaxLineLength)
                {
                    errors.Add(new IngestError(fileName, lineNumber, "line", $"is longer than {MaxLineLength} characters", FieldParser.Clip(line)));
                    continue;
                }

                var request = ParseLine(line, fileName, lineNumber, now, aliases, out var error);
                if (error is not null)
                {
                    errors.Add(error);
                    continue;
                }

                var key = new UsageKey(UtcHour.Truncate(request!.Timestamp), request.Model, request.Project);
                if (!hours.TryGetValue(key, out var hour))
                {
                    hours[key] = hour = new HourAccumulator();
                }

                if (hour.Overflows(request) is { } field)
                {
                    errors.Add(new IngestError(fileName, lineNumber, field, $"the hour's sum {UtcHour.Format(key.Hour)} {key.Project}/{key.Model} would be more than {UsageLimits.MaxCount} (10^12), the largest count of one row", line));
                    continue;
                }

                hour.Add(request);
            }
        }
        catch (DecoderFallbackException e)
        {
            errors.Add(new IngestError(fileName, lineNumber + 1, "encoding", "the file is not valid UTF-8: " + e.Message));
        }

        if (records == 0 && errors.Count == 0)
        {
            errors.Add(new IngestError(fileName, 1, "line", "the file is empty; expected one JSON request per line"));
        }

        var rows = hours
            .Select(p => p.Value.ToUsage(p.Key))
            .OrderBy(r => r.Hour).ThenBy(r => r.Project, StringComparer.Ordinal).ThenBy(r => r.Model, StringComparer.Ordinal)
            .ToList();
        return new ParsedUsage(fileName, rows, errors, records);
    }

    private static Request? ParseLine(string line, string file, long lineNumber, DateTimeOffset now, ModelAliases aliases, out IngestError? error)
    {
        error = null;
        IngestError Fail(string field, string message) => new(file, lineNumber, field, message, line);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            error = Fail("json", "not valid JSON: " + e.Message);
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = Fail("json", $"expected a JSON object, found {root.ValueKind}");
                return null;
            }

            if (FieldParser.Timestamp(String(root, "timestamp"), out var timestamp) is { } tsError)
            {
                error = Fail("timestamp", tsError);
                return null;
            }

            if (UsageLimits.CheckHour(UtcHour.Truncate(timestamp), now) is { } windowError)
            {
                error = Fail("timestamp", windowError);
                return null;
            }

            if (FieldParser.Name(String(root, "model") is { } rawModel ? aliases.Canonical(rawModel) : null, out var model) is { } modelError)
            {
                error = Fail("model", modelError);
                return null;
            }

            if (FieldParser.Name(String(root, "project"), out var project) is { } projectError)
            {
                error = Fail("project", projectError);
                return null;
            }

            if (Count(root, "prompt_tokens", required: true, out var prompt) is { } promptError)
            {
                error = Fail("prompt_tokens", promptError);
                return null;
            }

            if (Count(root, "completion_tokens", required: true, out var completion) is { } completionError)
            {
                error = Fail("completion_tokens", completionError);
                return null;
            }

            if (Count(root, "cached_tokens", required: false, out var cached) is { } cachedError)
            {
                error = Fail("cached_tokens", cachedError);
                return null;
            }

            if (cached > prompt)
            {
                error = Fail("cached_tokens", $"{cached} is more than prompt_tokens {prompt} (prompt_tokens includes cached ones)");
                return null;
            }

            double? latency = null;
            if (root.TryGetProperty("latency_ms", out var latencyElement) && latencyElement.ValueKind != JsonValueKind.Null)
            {
                if (latencyElement.ValueKind != JsonValueKind.Number || !latencyElement.TryGetDouble(out var l) || UsageLimits.CheckAmount(l, UsageLimits.MaxLatencyMs) is not null)
                {
                    error = Fail("latency_ms", $"'{FieldParser.Clip(latencyElement.GetRawText())}' is not a number from 0 to {UsageLimits.MaxLatencyMs:0}");
                    return null;
                }

                latency = l;
            }

            return new Request(timestamp, model, project, prompt!.Value, completion!.Value, cached, latency, IsError(root));
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    private static string? Count(JsonElement root, string name, bool required, out long? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return required ? "is missing" : null;
        }

        if (e.ValueKind != JsonValueKind.Number)
        {
            return $"'{FieldParser.Clip(e.GetRawText())}' is not a number";
        }

        if (!e.TryGetInt64(out var v))
        {
            return e.GetRawText().All(char.IsAsciiDigit)
                ? $"'{FieldParser.Clip(e.GetRawText())}' overflows a 64-bit count"
                : $"'{FieldParser.Clip(e.GetRawText())}' is not an integer";
        }

        value = v;
        return UsageLimits.CheckCount(v);
    }

    private static bool IsError(JsonElement root)
    {
        if (!root.TryGetProperty("status", out var status))
        {
            return false;
        }

        return status.ValueKind switch
        {
            JsonValueKind.Number => status.TryGetInt32(out var code) && code >= 400,
            JsonValueKind.String => status.GetString() is { } s
                && !s.Equals("ok", StringComparison.OrdinalIgnoreCase)
                && !s.Equals("success", StringComparison.OrdinalIgnoreCase)
                && !(int.TryParse(s, out var c) && c < 400),
            _ => false,
        };
    }

    private sealed record Request(DateTimeOffset Timestamp, string Model, string Project, long Prompt, long Completion, long? Cached, double? LatencyMs, bool Failed);

    private sealed class HourAccumulator
    {
        private readonly List<double> _latencies = [];
        private long _input;
        private long _output;
        private long _requests;
        private long? _cached;
        private long _errors;

        /// <summary>The field whose hourly sum would pass the count bound with <paramref name="request"/>, or null.</summary>
        public string? Overflows(Request request)
        {
            if (_input + request.Prompt > UsageLimits.MaxCount)
            {
                return "prompt_tokens";
            }

            if (_output + request.Completion > UsageLimits.MaxCount)
            {
                return "completion_tokens";
            }

            return (_cached ?? 0) + (request.Cached ?? 0) > UsageLimits.MaxCount ? "cached_tokens" : null;
        }

        public void Add(Request request)
        {
            _input = checked(_input + request.Prompt);
            _output = checked(_output + request.Completion);
            _requests++;
            if (request.Cached is { } cached)
            {
                _cached = checked((_cached ?? 0) + cached);
            }

            if (request.LatencyMs is { } latency)
            {
                _latencies.Add(latency);
            }

            if (request.Failed)
            {
                _errors++;
            }
        }

        public HourlyUsage ToUsage(UsageKey key)
        {
            _latencies.Sort();
            return new HourlyUsage
            {
                Hour = key.Hour,
                Model = key.Model,
                Project = key.Project,
                InputTokens = _input,
                OutputTokens = _output,
                Requests = _requests,
                CachedInputTokens = _cached,
                LatencyMsP50 = Percentile(0.50),
                LatencyMsP95 = Percentile(0.95),
                Errors = _errors,
            };
        }

        private double? Percentile(double q)
        {
            if (_latencies.Count == 0)
            {
                return null;
            }

            // Nearest rank: an observed latency, never an interpolated one.
            var rank = (int)Math.Ceiling(q * _latencies.Count) - 1;
            return _latencies[Math.Clamp(rank, 0, _latencies.Count - 1)];
        }
    }
}
