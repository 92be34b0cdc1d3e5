using Forecasting.ML.Registry;

namespace Forecasting.Application;

/// <summary>What a sharded retrain starts from: the layout, its shards without series, and the served union when the usage is unchanged since it was trained (null: train).</summary>
public sealed record ShardedRetrainStart(ShardLayout Layout, IReadOnlySet<int> Empty, UnchangedVersion? Unchanged);
