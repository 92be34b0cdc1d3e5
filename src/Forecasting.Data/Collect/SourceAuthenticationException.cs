namespace Forecasting.Data.Collect;

/// <summary>The source answered 401 or 403: retrying cannot help, the key must change.</summary>
public sealed class SourceAuthenticationException : SourceException
{
    public SourceAuthenticationException()
    {
    }

    public SourceAuthenticationException(string message)
        : base(message)
    {
    }

    public SourceAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
