namespace Forecasting.Core.Forecasting;

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

    private static Exception Unwrap(Exception error) =>
        error is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : error;
}
