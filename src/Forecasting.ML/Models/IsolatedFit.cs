using Forecasting.Core.Forecasting;

namespace Forecasting.ML.Models;

/// <summary>
/// Fits a model on many series so that one series the model cannot fit (too short, all gaps, a numeric
/// failure) never stops the others: when fitting them together fails, each is fitted alone and the ones
/// that still fail get null and their error.
/// </summary>
public static class IsolatedFit
{
    public static IForecaster?[] FitEach(
        IForecasterFactory factory,
        IReadOnlyList<SeriesHistory> histories,
        Action<int, Exception>? failed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(histories);
        try
        {
            return [.. factory.FitAll(histories, cancellationToken)];
        }
        catch (Exception error) when (error is not OperationCanceledException && histories.Count > 1)
        {
            // Parallel fits wrap the first failure; which series it was is found by fitting them one at a time.
        }

        var fitted = new IForecaster?[histories.Count];
        for (var i = 0; i < histories.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                fitted[i] = factory.FitAll([histories[i]], cancellationToken)[0];
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                failed?.Invoke(i, Unwrap(error));
            }
        }

        return fitted;
    }

    /// <summary>
    /// <see cref="IForecasterFactory.Refresh"/> from the earlier fits where the model allows it, with the same isolation as
    /// <see cref="FitEach"/>: when refreshing them together fails, each series is fitted anew on its own.
    /// </summary>
    public static IForecaster?[] RefreshEach(
        IForecasterFactory factory,
        IReadOnlyList<SeriesHistory> histories,
        IReadOnlyList<IForecaster?> earlier,
        Action<int, Exception>? failed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        try
        {
            return [.. factory.Refresh(histories, earlier, cancellationToken)];
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return FitEach(factory, histories, failed, cancellationToken);
        }
    }

    /// <summary>The forecast, or null with the error reported when the fitted model cannot make it.</summary>
    public static double[]? TryPredict(IForecaster? fitted, int horizon, Action<Exception>? failed)
    {
        if (fitted is null)
        {
            return null;
        }

        try
        {
            var forecast = fitted.Predict(horizon);
            if (forecast.Any(v => !double.IsFinite(v)))
            {
                throw new ArithmeticException($"{fitted.Name} forecast a value that is not a finite number");
            }

            return forecast;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            failed?.Invoke(Unwrap(error));
            return null;
        }
    }

    /// <summary>
    /// Every fitted model's forecast (of its own horizon), computed in parallel on up to all cores: forecasts of
    /// different series are independent, and each result lands at its series' index, so the outcome does not
    /// depend on the threads' timing. A failed forecast is null, its error at the same index of <c>Errors</c>.
    /// </summary>
    public static (double[]?[] Forecasts, Exception?[] Errors) PredictEach(IReadOnlyList<IForecaster?> fitted, Func<int, int> horizon, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        ArgumentNullException.ThrowIfNull(horizon);
        var forecasts = new double[]?[fitted.Count];
        var errors = new Exception?[fitted.Count];
        Parallel.For(0, fitted.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            forecasts[i] = TryPredict(fitted[i], horizon(i), e => errors[i] = e));
        return (forecasts, errors);
    }

    private static Exception Unwrap(Exception error) =>
        error is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : error;
}
