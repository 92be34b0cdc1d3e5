namespace Forecasting.Api.Contracts;

/// <summary>The champion version, since when, and why.</summary>
public sealed record ChampionInfo(string Version, DateTimeOffset Since, string Reason);
