using Microsoft.Extensions.Logging;

namespace Forecasting.Testing;

/// <summary>A logger that keeps each formatted message (with its exception) in a list, for asserting on what was logged.</summary>
public sealed class ListLogger(List<string> lines) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (lines)
        {
            lines.Add(formatter(state, exception) + exception);
        }
    }
}
