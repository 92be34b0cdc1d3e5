namespace Forecasting.Api.Contracts;

/// <summary>What the usage store holds, in a few numbers.</summary>
public sealed record StoreSummary(long Rows, DateTimeOffset? FirstHour, DateTimeOffset? LastHour, int Models, int Projects);
