using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Forecasting.Core.Usage;

namespace Forecasting.Data.Ingest;

/// <summary>
/// Reads the usage CSV of docs/ARCHITECTURE.md: header <c>hour,model,project,input_tokens,output_tokens,requests</c>
/// plus optional <c>cached_input_tokens,cost_usd,latency_ms_p50,latency_ms_p95,errors</c>, in any order.
/// </summary>
public static class UsageCsvParser
{
    public static readonly string[] RequiredColumns = ["hour", "model", "project", "input_tokens", "output_tokens", "requests"];

    public static readonly string[] OptionalColumns = ["cached_input_tokens", "cost_usd", "latency_ms_p50", "latency_ms_p95", "errors"];

    /// <summary>A generous bound on a row, so a garbage file with no newlines cannot exhaust memory.</summary>
    private const int MaxFieldLength = 4096;

    public static ParsedUsage Parse(string path, TimeProvider? clock = null, ModelAliases? aliases = null)
    {
        using var stream = File.OpenRead(path);
        return Parse(stream, path, clock, aliases);
    }

    public static ParsedUsage Parse(Stream stream, string fileName, TimeProvider? clock = null, ModelAliases? aliases = null)
    {
        var tally = new IngestTally();
        var rows = Read(stream, fileName, tally, clock, aliases).ToList();
        return new ParsedUsage(fileName, rows, tally.Errors, tally.Records);
    }

    /// <summary>
    /// Streams the good rows of a usage CSV in file order, adding every problem to
    /// <paramref name="tally"/> as it is met; file-level problems (header, encoding, empty) end the sequence.
    /// </summary>
    public static IEnumerable<HourlyUsage> Read(Stream stream, string fileName, IngestTally tally, TimeProvider? clock = null, ModelAliases? aliases = null)
    {
        aliases ??= ModelAliases.Default;
        ArgumentNullException.ThrowIfNull(tally);
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            TrimOptions = TrimOptions.Trim,
            DetectColumnCountChanges = false,
            MissingFieldFound = null,
            BadDataFound = null,
            IgnoreBlankLines = true,
            MaxFieldSize = MaxFieldLength,
        };

        // Invalid UTF-8 throws instead of turning into replacement characters that would be stored.
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, config);
        string[] header;
        IngestError? fileError = null;
        try
        {
            if (!csv.Read())
            {
                fileError = new IngestError(fileName, 1, "header", "the file is empty; expected a header row: " + string.Join(',', RequiredColumns));
                header = [];
            }
            else
            {
                csv.ReadHeader();
                header = (csv.HeaderRecord ?? []).Select(h => h.Trim().ToLowerInvariant()).ToArray();
                if (CheckHeader(header) is { } headerError)
                {
                    fileError = new IngestError(fileName, 1, "header", headerError, csv.Parser.RawRecord.TrimEnd());
                }
            }
        }
        catch (Exception e) when (e is DecoderFallbackException or BadDataException or ParserException or MaxFieldSizeException)
        {
            fileError = FileError(fileName, csv, e);
            header = [];
        }

        if (fileError is not null)
        {
            tally.Add(fileError);
            yield break;
        }

        var index = header.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        long records = 0;
        while (true)
        {
            HourlyUsage? row;
            try
            {
                if (!csv.Read())
                {
                    break;
                }

                records++;
                tally.CountRecord();
                var line = csv.Parser.RawRow;
                var raw = csv.Parser.RawRecord.TrimEnd('\r', '\n');
                if (csv.Parser.Count != header.Length)
                {
                    tally.Add(new IngestError(fileName, line, "row", $"expected {header.Length} fields, found {csv.Parser.Count}", raw));
                    continue;
                }

                row = ParseRow(csv, index, fileName, line, raw, now, aliases, out var error);
                if (error is not null)
                {
                    tally.Add(error);
                    continue;
                }
            }
            catch (Exception e) when (e is DecoderFallbackException or BadDataException or ParserException or MaxFieldSizeException)
            {
                tally.Add(FileError(fileName, csv, e));
                yield break;
            }

            yield return row!;
        }

        if (records == 0)
        {
            tally.Add(new IngestError(fileName, 2, "row", "the file has a header but no rows"));
        }
    }

    private static IngestError FileError(string fileName, CsvReader csv, Exception e) => e is DecoderFallbackException
        ? new IngestError(fileName, Math.Max(1, csv.Parser.RawRow), "encoding", "the file is not valid UTF-8: " + e.Message)
        : new IngestError(fileName, Math.Max(1, csv.Parser.RawRow), "row", "malformed CSV: " + FirstLine(e.Message));

    private static string? CheckHeader(string[] header)
    {
        var missing = RequiredColumns.Where(c => !header.Contains(c)).ToArray();
        if (missing.Length > 0)
        {
            return $"missing column(s) {string.Join(", ", missing)}; expected a header starting {string.Join(',', RequiredColumns)}";
        }

        var unknown = header.Where(c => !RequiredColumns.Contains(c) && !OptionalColumns.Contains(c)).ToArray();
        if (unknown.Length > 0)
        {
            return $"unknown column(s) {string.Join(", ", unknown.Select(FieldParser.Clip))}; optional columns are {string.Join(',', OptionalColumns)}";
        }

        var duplicate = header.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? null : $"column {duplicate.Key} appears twice";
    }

    private static HourlyUsage? ParseRow(CsvReader csv, Dictionary<string, int> index, string file, long line, string raw, DateTimeOffset now, ModelAliases aliases, out IngestError? error)
    {
        error = null;
        string? Field(string name) => index.TryGetValue(name, out var i) ? csv.GetField(i) : null;
        IngestError Fail(string field, string message) => new(file, line, field, message, raw);

        if (FieldParser.Timestamp(Field("hour"), out var hour) is { } hourError)
        {
            error = Fail("hour", hourError);
            return null;
        }

        if (!UtcHour.IsOnTheHour(hour))
        {
            error = Fail("hour", $"'{Field("hour")}' is not at the start of an hour");
            return null;
        }

        if (UsageLimits.CheckHour(hour, now) is { } windowError)
        {
            error = Fail("hour", windowError);
            return null;
        }

        // Aliases first: a provider prefix (deepseek/...) is dropped, not refused for its '/'.
        if (FieldParser.Name(Field("model") is { } rawModel ? aliases.Canonical(rawModel) : null, out var model) is { } modelError)
        {
            error = Fail("model", modelError);
            return null;
        }

        if (FieldParser.Name(Field("project"), out var project) is { } projectError)
        {
            error = Fail("project", projectError);
            return null;
        }

        var counts = new long[3];
        string[] countFields = ["input_tokens", "output_tokens", "requests"];
        for (var i = 0; i < countFields.Length; i++)
        {
            if (FieldParser.Count(Field(countFields[i]), out counts[i]) is { } countError)
            {
                error = Fail(countFields[i], countError);
                return null;
            }
        }

        if (FieldParser.OptionalCount(Field("cached_input_tokens"), out var cached) is { } cachedError)
        {
            error = Fail("cached_input_tokens", cachedError);
            return null;
        }

        if (cached > counts[0])
        {
            error = Fail("cached_input_tokens", $"{cached} is more than input_tokens {counts[0]} (input_tokens includes cached ones)");
            return null;
        }

        if (FieldParser.OptionalCount(Field("errors"), out var errorCount) is { } errorsError)
        {
            error = Fail("errors", errorsError);
            return null;
        }

        double?[] optional = new double?[3];
        string[] optionalFields = ["cost_usd", "latency_ms_p50", "latency_ms_p95"];
        double[] optionalMax = [UsageLimits.MaxCostUsd, UsageLimits.MaxLatencyMs, UsageLimits.MaxLatencyMs];
        for (var i = 0; i < optionalFields.Length; i++)
        {
            if (FieldParser.OptionalNonNegative(Field(optionalFields[i]), optionalMax[i], out optional[i]) is { } optionalError)
            {
                error = Fail(optionalFields[i], optionalError);
                return null;
            }
        }

        return new HourlyUsage
        {
            Hour = hour,
            Model = model,
            Project = project,
            InputTokens = counts[0],
            OutputTokens = counts[1],
            Requests = counts[2],
            CachedInputTokens = cached,
            CostUsd = optional[0],
            LatencyMsP50 = optional[1],
            LatencyMsP95 = optional[2],
            Errors = errorCount,
        };
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? message : message[..end].TrimEnd('\r');
    }
}
