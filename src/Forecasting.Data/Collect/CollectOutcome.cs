namespace Forecasting.Data.Collect;

/// <summary>What one collection stored.</summary>
public sealed record CollectOutcome(string Source, DateTimeOffset From, DateTimeOffset To, int RowsStored, int Hours, int HttpAttempts);
