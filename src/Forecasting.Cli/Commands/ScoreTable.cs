using Forecasting.Core.Backtesting;
using Forecasting.Core.Series;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class ScoreTable
{
    public static Table Build(IEnumerable<ModelScore> scores, ForecastTarget target)
    {
        var table = new Table().AddColumns("model", $"MAE ({target.PerHour()})", "sMAPE %", "MASE", "MAE vs seasonal naive", "80% interval coverage", "at peaks", "above p90 at peaks", "pinball p10", "pinball p90", $"p90 > {ModelScore.RunawayMultiple:0}× max", "points");
        foreach (var s in scores)
        {
            table.AddRow(
                s.Model == ModelScore.Served ? "[bold]served[/]" : Markup.Escape(s.Model),
                // Costs per hour are often below a dollar: cents, never a rounded 0.
                Markup.Escape(target.FormatNumber(s.Mae)),
                $"{s.Smape:N2}",
                $"{s.Mase:N3}",
                double.IsNaN(s.RelativeMae) ? "-" : $"{s.RelativeMae:N3}",
                Percent(s.Coverage),
                Percent(s.PeakCoverage),
                Percent(s.PeakAboveP90),
                double.IsNaN(s.PinballP10) ? "-" : $"{s.PinballP10:N0}",
                double.IsNaN(s.PinballP90) ? "-" : $"{s.PinballP90:N0}",
                double.IsNaN(s.P90AboveHistoryMax) ? "-" : $"{s.P90AboveHistoryMax:P2}",
                $"{s.Points:N0}");
        }

        return table;
    }

    private static string Percent(double share) => double.IsNaN(share) ? "-" : $"{share:P1}";
}
