using Microsoft.Extensions.Logging;

namespace Forecasting.Api.Scheduling;

/// <summary>Source-generated log messages of the scheduled jobs: every run's start and end.</summary>
internal static partial class JobLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Job {Job} run {Id} started on {Instance} (recovering: {Recovering})")]
    public static partial void Started(ILogger logger, string job, string id, string instance, bool recovering);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Job {Job} run {Id} {Outcome} after {Seconds:0.0} s; model version {Version}: {Detail}")]
    public static partial void Finished(ILogger logger, string job, string id, string outcome, double seconds, string? version, string? detail);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Job {Job} run {Id} failed after {Seconds:0.0} s: {Detail}")]
    public static partial void Failed(ILogger logger, string job, string id, double seconds, string? detail, Exception exception);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Retrain {Id} of target {Target} requested ({Reason})")]
    public static partial void RetrainRequested(ILogger logger, string id, string target, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Retrain requested while {Id} is {State}: answered with it")]
    public static partial void RetrainAlreadyRequested(ILogger logger, string id, string state);
}
