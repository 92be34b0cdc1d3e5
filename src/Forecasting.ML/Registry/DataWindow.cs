namespace Forecasting.ML.Registry;

/// <summary>The hours a model version was trained on.</summary>
public sealed record DataWindow(DateTimeOffset? Start, DateTimeOffset? End, int Series, int Hours);
