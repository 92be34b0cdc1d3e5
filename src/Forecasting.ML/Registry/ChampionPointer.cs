namespace Forecasting.ML.Registry;

/// <summary>The content of <c>current.json</c>: which version serves, since when, and why.</summary>
public sealed record ChampionPointer(string Version, DateTimeOffset Since, string Reason);
