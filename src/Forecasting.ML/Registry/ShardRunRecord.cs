namespace Forecasting.ML.Registry;

/// <summary>How one shard of a sharded retrain ended: succeeded (a version registered), skipped (unchanged usage, or empty) or failed; on which node; when.</summary>
public sealed record ShardRunRecord(string Outcome, string Detail, string? Version, string? Node, DateTimeOffset FinishedAt);
