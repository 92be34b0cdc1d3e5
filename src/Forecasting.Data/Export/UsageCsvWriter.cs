using System.Globalization;
using CsvHelper;
using Forecasting.Core.Usage;
using Forecasting.Data.Ingest;
using Forecasting.Data.Stores;

namespace Forecasting.Data.Export;

/// <summary>Writes usage rows in the usage CSV format that ingest reads, all columns, so a round trip is lossless.</summary>
public static class UsageCsvWriter
{
    public static async Task<long> ExportAsync(IUsageStore store, string path, UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return await WriteAsync(store.ReadAsync(query, cancellationToken), path, cancellationToken);
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/> and renames it into place.</summary>
    public static async Task<long> WriteAsync(IAsyncEnumerable<HourlyUsage> rows, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var temporary = path + ".tmp";
        long count = 0;
        try
        {
            await using (var writer = new StreamWriter(temporary))
            await using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
            {
                foreach (var column in UsageCsvParser.RequiredColumns.Concat(UsageCsvParser.OptionalColumns))
                {
                    csv.WriteField(column);
                }

                await csv.NextRecordAsync();
                await foreach (var row in rows.WithCancellation(cancellationToken))
                {
                    csv.WriteField(UtcHour.Format(row.Hour));
                    csv.WriteField(row.Model);
                    csv.WriteField(row.Project);
                    csv.WriteField(row.InputTokens);
                    csv.WriteField(row.OutputTokens);
                    csv.WriteField(row.Requests);
                    csv.WriteField(row.CachedInputTokens);
                    csv.WriteField(row.CostUsd?.ToString("R", CultureInfo.InvariantCulture));
                    csv.WriteField(row.LatencyMsP50?.ToString("R", CultureInfo.InvariantCulture));
                    csv.WriteField(row.LatencyMsP95?.ToString("R", CultureInfo.InvariantCulture));
                    csv.WriteField(row.Errors);
                    await csv.NextRecordAsync();
                    count++;
                }
            }

            File.Move(temporary, path, overwrite: true);
            return count;
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
