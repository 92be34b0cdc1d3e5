namespace Forecasting.Reporting.Reports;

/// <summary>Where a report was written.</summary>
public sealed record ReportFiles(string Html, string Markdown, IReadOnlyList<string> Charts);
