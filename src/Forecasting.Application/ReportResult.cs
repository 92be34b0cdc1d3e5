using Forecasting.Core.Planning;
using Forecasting.Reporting.Reports;

namespace Forecasting.Application;

/// <summary>The plan a report shows and the files written.</summary>
public sealed record ReportResult(Plan Plan, ReportFiles Files);
