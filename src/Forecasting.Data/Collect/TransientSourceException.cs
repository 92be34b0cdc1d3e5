namespace Forecasting.Data.Collect;

/// <summary>A failure worth retrying (429, 408, 5xx, truncated body), with the server's Retry-After if it gave one.</summary>
public sealed class TransientSourceException : SourceException
{
    public TransientSourceException()
    {
    }

    public TransientSourceException(string message)
        : base(message)
    {
    }

    public TransientSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TransientSourceException(string message, TimeSpan? retryAfter, Exception? innerException = null)
        : base(message, innerException!)
    {
        RetryAfter = retryAfter;
    }

    public TimeSpan? RetryAfter { get; }
}
