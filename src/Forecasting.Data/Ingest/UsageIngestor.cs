using System.Globalization;
using CsvHelper;
using Forecasting.Core;
using Forecasting.Data.Stores;

namespace Forecasting.Data.Ingest;

/// <summary>
/// One use case: load a usage CSV or request-log JSONL file into the store. Strict by default:
/// a single bad record refuses the file and nothing is written. With skipInvalid the good rows are
/// stored and the bad ones written with their reasons to <c>&lt;file&gt;.rejects</c>.
/// </summary>
public sealed class UsageIngestor(IUsageStore store)
{
    public static ParsedUsage Parse(string path)
    {
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".csv" => UsageCsvParser.Parse(path),
            ".jsonl" or ".ndjson" or ".json" => RequestLogParser.Parse(path),
            _ => throw new InvalidInputException($"{path}: unknown file type '{extension}'; expected .csv (usage) or .jsonl (request log)"),
        };
    }

    public async Task<IngestOutcome> IngestAsync(string path, bool skipInvalid, CancellationToken cancellationToken)
    {
        var parsed = Parse(path);
        return await StoreAsync(parsed, skipInvalid, cancellationToken);
    }

    public async Task<IngestOutcome> StoreAsync(ParsedUsage parsed, bool skipInvalid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        if (parsed.Errors.Count > 0 && !skipInvalid)
        {
            return new IngestOutcome(parsed.File, parsed.RecordsRead, 0, parsed.Errors, null);
        }

        string? rejectsPath = null;
        if (parsed.Errors.Count > 0)
        {
            rejectsPath = parsed.File + ".rejects";
            WriteRejects(rejectsPath, parsed.Errors);
        }

        var stored = await store.UpsertAsync(parsed.Rows, cancellationToken);
        return new IngestOutcome(parsed.File, parsed.RecordsRead, stored, parsed.Errors, rejectsPath);
    }

    private static void WriteRejects(string path, IReadOnlyList<IngestError> errors)
    {
        // Written beside, then moved: a crash never leaves half a rejects file that looks complete.
        var temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            csv.WriteField("line");
            csv.WriteField("field");
            csv.WriteField("reason");
            csv.WriteField("record");
            csv.NextRecord();
            foreach (var error in errors)
            {
                csv.WriteField(error.Line);
                csv.WriteField(error.Field);
                csv.WriteField(error.Message);
                csv.WriteField(error.Raw ?? "");
                csv.NextRecord();
            }
        }

        File.Move(temporary, path, overwrite: true);
    }
}
