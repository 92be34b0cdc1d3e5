namespace Forecasting.Api.Contracts;

/// <summary>The data a version was trained on: first and last hour, series, and the longest series' hours.</summary>
public sealed record DataWindowInfo(DateTimeOffset? Start, DateTimeOffset? End, int Series, int Hours);
