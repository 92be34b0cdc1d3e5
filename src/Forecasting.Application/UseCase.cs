namespace Forecasting.Application;

/// <summary>Makes <see cref="UseCaseResult{T}"/> values.</summary>
public static class UseCase
{
    public static UseCaseResult<T> Ok<T>(T value)
        where T : class => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    public static UseCaseResult<T> Unavailable<T>(string problem)
        where T : class => new(null, problem);
}
