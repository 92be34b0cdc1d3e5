namespace Forecasting.Data.Ingest;

/// <summary>
/// The result of ingesting a file. <see cref="Rejected"/> with <see cref="Stored"/> zero means the
/// whole file was refused (strict mode) and the store is unchanged.
/// </summary>
public sealed record IngestOutcome(
    string File,
    long RecordsRead,
    int RowsStored,
    IReadOnlyList<IngestError> Errors,
    string? RejectsPath)
{
    public bool Refused => Errors.Count > 0 && RejectsPath is null;
}
