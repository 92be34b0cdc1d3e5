namespace Forecasting.Data.Ingest;

/// <summary>What a streaming reader has met so far: records read and errors, in file order.</summary>
public sealed class IngestTally
{
    private readonly List<IngestError> _errors = [];
    private long _records;

    public long Records => Interlocked.Read(ref _records);

    /// <summary>A snapshot; safe to read while the reader runs on another thread.</summary>
    public IReadOnlyList<IngestError> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public int ErrorCount
    {
        get
        {
            lock (_errors)
            {
                return _errors.Count;
            }
        }
    }

    internal void CountRecord() => Interlocked.Increment(ref _records);

    internal void Add(IngestError error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }
}
