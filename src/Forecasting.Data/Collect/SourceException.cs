namespace Forecasting.Data.Collect;

/// <summary>A usage source failed: refused the key, stayed unavailable after retries, or answered garbage.</summary>
public class SourceException : Exception
{
    public SourceException()
    {
    }

    public SourceException(string message)
        : base(message)
    {
    }

    public SourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
