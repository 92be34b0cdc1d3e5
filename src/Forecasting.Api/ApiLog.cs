using Microsoft.Extensions.Logging;

namespace Forecasting.Api;

/// <summary>Source-generated log messages of the API. None of them carries the API key.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Rejected {Method} {Path}: missing or wrong API key")]
    public static partial void ApiKeyRejected(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Usage store {Store} is unreachable")]
    public static partial void StoreUnreachable(ILogger logger, string store, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Forecast gauges not refreshed")]
    public static partial void GaugesNotRefreshed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "API key required on /api routes")]
    public static partial void ApiKeyRequired(ILogger logger);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "FORECASTING_API_KEY is not set: /api routes are open")]
    public static partial void ApiOpen(ILogger logger);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Newest usage hour not refreshed")]
    public static partial void FreshnessNotRefreshed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Latest forecast not checked; the kept run is served")]
    public static partial void ForecastNotRefreshed(ILogger logger, Exception exception);
}
