namespace Forecasting.Core.Planning;

/// <summary>The price table as configured: a version and USD per million tokens per model.</summary>
public sealed record PriceFile(string Version, Dictionary<string, PriceEntry> Models);
