namespace Forecasting.Api.Contracts;

/// <summary>One forecast series; <c>*</c> as project or model marks a roll-up.</summary>
public sealed record SeriesItem(string Key, string Project, string Model, bool IsRollup, string ForecastModel, int Points);
