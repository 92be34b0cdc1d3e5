using System.Globalization;
using System.Threading.Channels;
using CsvHelper;
using Forecasting.Core;
using Forecasting.Core.Usage;
using Forecasting.Data.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forecasting.Data.Ingest;

/// <summary>
/// One use case: load a usage CSV or request-log JSONL file into the store. Strict by default:
/// a single bad record refuses the file and nothing is written. With skipInvalid the good rows are
/// stored and the bad ones written with their reasons to <c>&lt;file&gt;.rejects</c>.
/// A CSV is parsed on one thread while the store writes on another, in one transaction that is
/// rolled back if a bad record turns up. If the database goes away in the middle (a PostgreSQL
/// restart), nothing was stored and the file is read again from the start, up to three times.
/// </summary>
public sealed partial class UsageIngestor(IUsageStore store, ILogger? logger = null, TimeProvider? clock = null, ModelAliases? aliases = null)
{
    private const int BatchSize = 4096;
    private const int FileAttempts = 3;

    public static ParsedUsage Parse(string path) => Kind(path) switch
    {
        FileKind.Csv => UsageCsvParser.Parse(path),
        _ => RequestLogParser.Parse(path),
    };

    public async Task<IngestOutcome> IngestAsync(string path, bool skipInvalid, CancellationToken cancellationToken)
    {
        if (Kind(path) == FileKind.Jsonl)
        {
            // Requests aggregate to hours only once the whole log is read.
            return await StoreAsync(RequestLogParser.Parse(path, clock, aliases), skipInvalid, cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await IngestCsvAsync(path, skipInvalid, cancellationToken);
            }
            catch (Exception e) when (attempt < FileAttempts && TransientRetry.IsTransient(e))
            {
                // One transaction: the failed attempt stored nothing, so reading the file again loses and doubles nothing.
                var delay = TimeSpan.FromSeconds(2 * attempt);
                ReadingAgain(logger ?? NullLogger.Instance, path, attempt + 1, FileAttempts, delay.TotalSeconds, e.Message);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    private async Task<IngestOutcome> IngestCsvAsync(string path, bool skipInvalid, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tally = new IngestTally();
        var channel = Channel.CreateBounded<HourlyUsage[]>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => ProduceAsync(path, skipInvalid, tally, clock, aliases, channel.Writer, stop.Token), stop.Token);
        int stored;
        try
        {
            stored = await store.UpsertStreamAsync(Flatten(channel.Reader, cancellationToken), cancellationToken);
        }
        catch (FileRefusedException)
        {
            await producer;
            return new IngestOutcome(path, tally.Records, 0, tally.Errors, null);
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }

        await producer;
        var errors = tally.Errors;
        if (errors.Count > 0 && !skipInvalid)
        {
            // Unreachable by construction (the producer fails the stream first); kept as a guard.
            throw new InvalidOperationException("a refused file was stored");
        }

        string? rejects = null;
        if (errors.Count > 0)
        {
            rejects = path + ".rejects";
            WriteRejects(rejects, errors);
        }

        return new IngestOutcome(path, tally.Records, stored, errors, rejects);
    }

    /// <summary>Stores rows already parsed (the whole file in memory).</summary>
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

    private static async Task ProduceAsync(string path, bool skipInvalid, IngestTally tally, TimeProvider? clock, ModelAliases? aliases, ChannelWriter<HourlyUsage[]> writer, CancellationToken cancellationToken)
    {
        var refused = false;
        try
        {
            await using var stream = File.OpenRead(path);
            var batch = new List<HourlyUsage>(BatchSize);
            foreach (var row in UsageCsvParser.Read(stream, path, tally, clock, aliases))
            {
                if (!skipInvalid && !refused && tally.ErrorCount > 0)
                {
                    // Stop the writer at once (it rolls back); keep reading to list every error.
                    refused = true;
                    writer.TryComplete(new FileRefusedException());
                }

                if (refused)
                {
                    continue;
                }

                batch.Add(row);
                if (batch.Count == BatchSize)
                {
                    await writer.WriteAsync([.. batch], cancellationToken);
                    batch.Clear();
                }
            }

            if (!skipInvalid && tally.ErrorCount > 0)
            {
                writer.TryComplete(new FileRefusedException());
                return;
            }

            if (batch.Count > 0)
            {
                await writer.WriteAsync([.. batch], cancellationToken);
            }

            writer.TryComplete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
            if (e is not OperationCanceledException and not ChannelClosedException)
            {
                throw;
            }
        }
    }

    private static async IAsyncEnumerable<HourlyUsage> Flatten(ChannelReader<HourlyUsage[]> reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in reader.ReadAllAsync(cancellationToken))
        {
            foreach (var row in batch)
            {
                yield return row;
            }
        }
    }

    private static FileKind Kind(string path)
    {
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".csv" => FileKind.Csv,
            ".jsonl" or ".ndjson" or ".json" => FileKind.Jsonl,
            _ => throw new InvalidInputException($"{path}: unknown file type '{extension}'; expected .csv (usage) or .jsonl (request log)"),
        };
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

    private enum FileKind
    {
        Csv,
        Jsonl,
    }

    /// <summary>Ends the write stream when strict mode meets a bad record.</summary>
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "The store went away while {File} was being ingested (nothing stored); reading it again, attempt {Attempt} of {Attempts}, in {DelaySeconds:0} s: {Reason}")]
    private static partial void ReadingAgain(ILogger logger, string file, int attempt, int attempts, double delaySeconds, string reason);

    private sealed class FileRefusedException : Exception
    {
        public FileRefusedException()
            : base("the file has bad records and was refused")
        {
        }
    }
}
