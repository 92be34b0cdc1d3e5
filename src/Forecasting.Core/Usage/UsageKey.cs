namespace Forecasting.Core.Usage;

/// <summary>The identity of a usage row: re-ingesting the same key replaces the row.</summary>
public readonly record struct UsageKey(DateTimeOffset Hour, string Model, string Project);
