using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.ML.Validation;

namespace Forecasting.ML.Models.FastTree;

/// <summary>A history made ready for the global model: leading gaps dropped, inner gaps filled, divided by its level, optionally log1p.</summary>
internal sealed record PreparedSeries(double[] Values, DateTimeOffset? Start, double Scale, bool Log, string? Series = null)
{
    public static PreparedSeries From(SeriesHistory history, bool log)
    {
        var raw = history.Values.Span;
        var first = 0;
        while (first < raw.Length && double.IsNaN(raw[first]))
        {
            first++;
        }

        var values = raw[first..].ToArray();
        if (values.Length > 0)
        {
            HourlyGapFiller.Fill(values);
        }

        var scale = Backtester.Scale(values);
        for (var i = 0; i < values.Length; i++)
        {
            var v = Math.Max(0, values[i]) / scale;
            values[i] = log ? Math.Log(1 + v) : v;
        }

        return new PreparedSeries(values, history.Start?.AddHours(first), scale, log, history.Series);
    }

    public double Restore(double value) => Math.Max(0, (Log ? Math.Exp(value) - 1 : value) * Scale);
}
