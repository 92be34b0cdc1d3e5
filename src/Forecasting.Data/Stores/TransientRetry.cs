using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Forecasting.Data.Stores;

/// <summary>
/// Retries a whole store operation when PostgreSQL is briefly gone (restart, failover, dropped
/// connection): connection refused, session terminated by a shutdown, server still starting. Only
/// operations that are idempotent and hold their input in memory go through it; each attempt runs
/// in a fresh transaction, so a failed one has stored nothing. Idle pooled connections are dropped
/// before a retry, since after a restart they are all dead.
/// </summary>
public sealed partial class TransientRetry
{
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    public TransientRetry(NpgsqlDataSource dataSource, ILogger? logger, TransientRetryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var settings = options ?? new TransientRetryOptions();
        var log = _logger = logger ?? NullLogger.Instance;
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = settings.MaxRetries,
                Delay = settings.FirstDelay,
                MaxDelay = settings.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    dataSource.Clear();
                    Retrying(log, args.AttemptNumber + 1, settings.MaxRetries, args.RetryDelay.TotalSeconds, Describe(args.Outcome.Exception));
                    return default;
                },
            })
            .Build();
    }

    public ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> operation, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(operation, cancellationToken);

    /// <summary>Reports a read that lost its connection and continues after its last row.</summary>
    public void ReadResumed(long rowsRead, Exception exception) => Resuming(_logger, rowsRead, Describe(exception));

    /// <summary>True for failures that a later attempt on a new connection can get past.</summary>
    /// <remarks>
    /// A timeout is not: a statement that ran out of time would only run out of time again (a restart
    /// shows as refused connections, terminated sessions and broken streams, not as timeouts).
    /// </remarks>
    public static bool IsTransient(Exception exception) => exception switch
    {
        // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up or shutting down).
        PostgresException p => p.SqlState is "57P01" or "57P02" or "57P03" || (p.IsTransient && p.SqlState != "57014"),
        NpgsqlException { InnerException: TimeoutException } => false,
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or SocketException,
        _ => false,
    };

    private static string Describe(Exception? exception) => exception switch
    {
        PostgresException p => $"{p.SqlState} {p.MessageText}",
        null => "unknown",
        _ => exception.InnerException is { } inner ? $"{exception.Message} ({inner.Message})" : exception.Message,
    };

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "PostgreSQL unavailable; retry {Retry} of {MaxRetries} in {DelaySeconds:0.0} s: {Reason}")]
    private static partial void Retrying(ILogger logger, int retry, int maxRetries, double delaySeconds, string reason);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "PostgreSQL connection lost after {Rows} rows of a read; resuming after the last row: {Reason}")]
    private static partial void Resuming(ILogger logger, long rows, string reason);
}

/// <summary>How long the store keeps retrying a PostgreSQL that is gone: about 30 s by default, enough for a restart.</summary>
public sealed record TransientRetryOptions
{
    public int MaxRetries { get; init; } = 8;

    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);
}
