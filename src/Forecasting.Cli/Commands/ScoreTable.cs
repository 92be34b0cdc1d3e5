using Forecasting.Core.Backtesting;
using Forecasting.Core.Series;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class ScoreTable
{
    public static Table Build(IEnumerable<ModelScore> scores, ForecastTarget target)
    {
        var table = new Table().AddColumns("model", $"MAE ({target.PerHour()})", "sMAPE %", "MASE", "MAE vs seasonal naive", "80% interval coverage", "points");
        foreach (var s in scores)
        {
            table.AddRow(
                s.Model == Backtester.Served ? "[bold]served[/]" : Markup.Escape(s.Model),
                // Costs per hour are often below a dollar: cents, never a rounded 0.
                Markup.Escape(target.FormatNumber(s.Mae)),
                $"{s.Smape:N2}",
                $"{s.Mase:N3}",
                double.IsNaN(s.RelativeMae) ? "-" : $"{s.RelativeMae:N3}",
                double.IsNaN(s.Coverage) ? "-" : $"{s.Coverage:P1}",
                $"{s.Points:N0}");
        }

        return table;
    }
}
