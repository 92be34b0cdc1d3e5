using Forecasting.Core.Usage;

namespace Forecasting.Data.Ingest;

/// <summary>What a parser made of a file: the good rows and every error, in file order.</summary>
public sealed record ParsedUsage(string File, IReadOnlyList<HourlyUsage> Rows, IReadOnlyList<IngestError> Errors, long RecordsRead)
{
    public bool IsValid => Errors.Count == 0;
}
