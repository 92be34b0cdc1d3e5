namespace Forecasting.Data.Ingest;

/// <summary>One bad input record: where it is and what is wrong with it.</summary>
public sealed record IngestError(string File, long Line, string Field, string Message, string? Raw = null)
{
    public override string ToString() => $"{File}:{Line}: {Field}: {Message}";
}
