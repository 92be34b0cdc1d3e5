namespace Forecasting.Core.Pricing;

/// <summary>Prices in US dollars per million tokens.</summary>
public sealed record ModelPrice(double InputPerMillion, double CachedInputPerMillion, double OutputPerMillion);
