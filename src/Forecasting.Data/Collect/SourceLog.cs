using Microsoft.Extensions.Logging;

namespace Forecasting.Data.Collect;

internal static partial class SourceLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Usage source attempt failed; retry {Retry} in {DelaySeconds:0.0} s: {Reason}")]
    public static partial void Retrying(ILogger logger, int retry, double delaySeconds, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Fetched {Rows} usage rows from {Source} for {From:o} to {To:o} in {Requests} requests")]
    public static partial void Fetched(ILogger logger, int rows, string source, DateTimeOffset from, DateTimeOffset to, int requests);
}
