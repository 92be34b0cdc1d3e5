namespace Forecasting.ML.Registry;

/// <summary>The shard versions a union version serves: <see cref="Members"/> maps each shard's registry unit to its version, leaf shards first, the roll-up shard last.</summary>
public sealed record ShardSet(int Count, List<ShardMember> Members);

/// <summary>One shard of a union version: its index (<see cref="ShardLayout.Rollups"/> for the roll-ups), registry unit and version.</summary>
public sealed record ShardMember(int Shard, string Unit, string Version);
