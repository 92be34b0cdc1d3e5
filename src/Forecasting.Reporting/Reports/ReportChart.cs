namespace Forecasting.Reporting.Reports;

/// <summary>One chart of a report: its file under <c>charts/</c> and its title.</summary>
internal sealed record ReportChart(string File, string Title);
