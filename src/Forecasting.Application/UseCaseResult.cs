using Forecasting.Core;

namespace Forecasting.Application;

/// <summary>
/// The answer of a use case: its value, or why there is none yet (no usage stored, no champion, no
/// forecast). These are expected states, not failures: the CLI prints the reason as a user error,
/// the API answers it as a ProblemDetails.
/// </summary>
public sealed record UseCaseResult<T>(T? Value, string? Problem)
    where T : class
{
    public bool IsAvailable => Value is not null;

    /// <summary>The next step on the value, or this result's reason when there is no value.</summary>
    public async Task<UseCaseResult<TNext>> ThenAsync<TNext>(Func<T, Task<UseCaseResult<TNext>>> next)
        where TNext : class
    {
        ArgumentNullException.ThrowIfNull(next);
        return Value is { } value ? await next(value) : new UseCaseResult<TNext>(null, Problem);
    }

    /// <summary>The value; for callers that cannot go on without it, the reason as a user error.</summary>
    public T Require() => Value ?? throw new InvalidInputException(Problem ?? "unavailable");
}
