using Forecasting.Data.Stores;

namespace Forecasting.Application;

/// <summary>What the usage store holds: its description, its schema version and the summary of its rows.</summary>
public sealed record StoreStatus(string Store, int SchemaVersion, UsageSummary Summary);
