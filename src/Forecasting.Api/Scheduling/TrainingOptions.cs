namespace Forecasting.Api.Scheduling;

/// <summary>How the retrain job trains, under <c>Forecasting:Training</c>.</summary>
public sealed class TrainingOptions
{
    public const string Section = "Forecasting:Training";

    /// <summary>
    /// Leaf series per shard: above 0, a retrain splits the series into shards (stable hash of the series key) plus a
    /// roll-up shard, each trained as its own Quartz job on any node; 0 (default): one training of every series.
    /// </summary>
    public int ShardSize { get; set; }

    /// <summary>How long the retrain waits for its shard jobs to end before it fails.</summary>
    public TimeSpan ShardTimeout { get; set; } = TimeSpan.FromHours(12);
}
