namespace Forecasting.Core.Forecasting;

/// <summary>One model of a combination (by its name, <see cref="ModelId.ToString"/>) and its weight.</summary>
public sealed record ModelWeight(string Model, double Weight);
