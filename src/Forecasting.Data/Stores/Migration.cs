namespace Forecasting.Data.Stores;

/// <summary>One versioned schema step. Versions only grow; an applied step is never edited.</summary>
public sealed record Migration(int Version, string Description, string Sql);
