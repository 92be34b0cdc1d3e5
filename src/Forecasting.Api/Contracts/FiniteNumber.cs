namespace Forecasting.Api.Contracts;

/// <summary>
/// JSON has no NaN or Infinity: a number that is not finite (an undefined ratio, a model that blew up) is
/// answered as null, so every number in a contract is a plain JSON number or null and generated clients parse it.
/// </summary>
internal static class FiniteNumber
{
    public static double? OrNull(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
