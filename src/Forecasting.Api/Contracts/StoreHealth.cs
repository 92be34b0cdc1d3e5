namespace Forecasting.Api.Contracts;

/// <summary>Whether the usage store answered, and how much it holds.</summary>
public sealed record StoreHealth(string Status, long? Rows, DateTimeOffset? LastHour);
