namespace Forecasting.Api.Contracts;

/// <summary>The registered versions of the served target's model, and which one is champion.</summary>
public sealed record ModelsResponse(string Name, ChampionInfo? Champion, IReadOnlyList<ModelVersionInfo> Versions);
