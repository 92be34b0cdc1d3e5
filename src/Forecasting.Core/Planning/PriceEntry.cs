namespace Forecasting.Core.Planning;

/// <summary>USD per million tokens: input, cached input, output.</summary>
public sealed record PriceEntry(double Input, double CachedInput, double Output);
