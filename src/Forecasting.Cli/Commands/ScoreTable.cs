using Forecasting.Core.Backtesting;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class ScoreTable
{
    public static Table Build(IEnumerable<ModelScore> scores)
    {
        var table = new Table().AddColumns("model", "MAE", "sMAPE %", "MASE", "MAE vs seasonal naive", "80% interval coverage", "points");
        foreach (var s in scores)
        {
            table.AddRow(
                s.Model == Backtester.Served ? "[bold]served[/]" : Markup.Escape(s.Model),
                $"{s.Mae:N0}",
                $"{s.Smape:N2}",
                $"{s.Mase:N3}",
                double.IsNaN(s.RelativeMae) ? "-" : $"{s.RelativeMae:N3}",
                double.IsNaN(s.Coverage) ? "-" : $"{s.Coverage:P1}",
                $"{s.Points:N0}");
        }

        return table;
    }
}
