using Microsoft.Extensions.Logging;

namespace Forecasting.Api.Notifications;

/// <summary>Source-generated log messages of the notifier. The webhook's secret header is never logged.</summary>
internal static partial class NotifyLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Notice {Key} sent ({Kind})")]
    public static partial void Sent(ILogger logger, string key, string kind);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Notice {Key}: attempt {Attempt} of {Max} failed ({Reason}); retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, string key, int attempt, int max, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "Notice {Key} not delivered ({Reason}); tried again at the next check")]
    public static partial void NotDelivered(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Condition {Key} cleared")]
    public static partial void Cleared(ILogger logger, string key);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Conditions not evaluated")]
    public static partial void CheckFailed(ILogger logger, Exception exception);
}
