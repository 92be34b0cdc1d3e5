namespace Forecasting.Reporting.Reports;

/// <summary>A registered model version as the report lists it.</summary>
public sealed record ReportModelVersion(string Version, bool Champion, DateTimeOffset TrainedAt, DateTimeOffset? DataEnd, double? RelativeMae, double? Coverage, string? Decision);
