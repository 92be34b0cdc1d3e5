using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Forecasting.Core.Usage;

namespace Forecasting.Data.Ingest;

/// <summary>
/// Reads the usage CSV of DESIGN.md: header <c>hour,model,project,input_tokens,output_tokens,requests</c>
/// plus optional <c>cached_input_tokens,cost_usd,latency_ms_p50,latency_ms_p95,errors</c>, in any order.
/// </summary>
public static class UsageCsvParser
{
    public static readonly string[] RequiredColumns = ["hour", "model", "project", "input_tokens", "output_tokens", "requests"];

    public static readonly string[] OptionalColumns = ["cached_input_tokens", "cost_usd", "latency_ms_p50", "latency_ms_p95", "errors"];

    /// <summary>A generous bound on a row, so a garbage file with no newlines cannot exhaust memory.</summary>
    private const int MaxFieldLength = 4096;

    public static ParsedUsage Parse(string path)
    {
        using var stream = File.OpenRead(path);
        return Parse(stream, path);
    }

    public static ParsedUsage Parse(Stream stream, string fileName)
    {
        var rows = new List<HourlyUsage>();
        var errors = new List<IngestError>();
        long records = 0;
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
        try
        {
            if (!csv.Read())
            {
                errors.Add(new IngestError(fileName, 1, "header", "the file is empty; expected a header row: " + string.Join(',', RequiredColumns)));
                return new ParsedUsage(fileName, rows, errors, 0);
            }

            csv.ReadHeader();
            var header = (csv.HeaderRecord ?? []).Select(h => h.Trim().ToLowerInvariant()).ToArray();
            var headerError = CheckHeader(header);
            if (headerError is not null)
            {
                errors.Add(new IngestError(fileName, 1, "header", headerError, csv.Parser.RawRecord.TrimEnd()));
                return new ParsedUsage(fileName, rows, errors, 0);
            }

            var index = header.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
            while (csv.Read())
            {
                records++;
                var line = csv.Parser.RawRow;
                var raw = csv.Parser.RawRecord.TrimEnd('\r', '\n');
                if (csv.Parser.Count != header.Length)
                {
                    errors.Add(new IngestError(fileName, line, "row", $"expected {header.Length} fields, found {csv.Parser.Count}", raw));
                    continue;
                }

                var row = ParseRow(csv, index, fileName, line, raw, out var error);
                if (error is not null)
                {
                    errors.Add(error);
                }
                else
                {
                    rows.Add(row!);
                }
            }

            if (records == 0)
            {
                errors.Add(new IngestError(fileName, 2, "row", "the file has a header but no rows"));
            }
        }
        catch (DecoderFallbackException e)
        {
            errors.Add(new IngestError(fileName, csv.Parser.RawRow, "encoding", "the file is not valid UTF-8: " + e.Message));
        }
        catch (CsvHelperException e) when (e is BadDataException or ParserException or MaxFieldSizeException)
        {
            errors.Add(new IngestError(fileName, csv.Parser.RawRow, "row", "malformed CSV: " + FirstLine(e.Message)));
        }

        return new ParsedUsage(fileName, rows, errors, records);
    }

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

    private static HourlyUsage? ParseRow(CsvReader csv, Dictionary<string, int> index, string file, long line, string raw, out IngestError? error)
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

        if (FieldParser.Name(Field("model"), out var model) is { } modelError)
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
        for (var i = 0; i < optionalFields.Length; i++)
        {
            if (FieldParser.OptionalNonNegative(Field(optionalFields[i]), out optional[i]) is { } optionalError)
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
