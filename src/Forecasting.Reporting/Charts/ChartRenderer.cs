using System.Globalization;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Forecasting.Reporting.Charts;

/// <summary>
/// Renders the report charts as PNG files. All times are plotted in UTC, the unit the series are stored in.
/// </summary>
public static class ChartRenderer
{
    private const int WideWidth = 1200;
    private const int WideHeight = 500;
    private const int HeatmapWidth = 1000;
    private const int HeatmapHeight = 450;

    /// <summary>Above this many day labels on a 1200 px axis they start to overlap.</summary>
    private const int MaxDayLabels = 14;

    /// <summary>Beyond this many origins the origin markers would hide the data.</summary>
    private const int MaxOriginLines = 40;

    private static readonly Color ActualColor = Color.FromHex("#1f77b4");
    private static readonly Color ForecastColor = Color.FromHex("#ff7f0e");
    private static readonly Color OriginColor = Color.FromHex("#555555");
    private static readonly string[] WeekdayLabels = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    static ChartRenderer()
    {
        // Without a font that exists on the machine, SkiaSharp draws no text at all and nobody notices.
        Fonts.Default = "DejaVu Sans";
    }

    /// <summary>
    /// The last <paramref name="historyHours"/> of history, the p50 forecast and its 80% band, with a vertical
    /// line at the forecast origin.
    /// </summary>
    public static void ForecastChart(
        HourlySeries history,
        SeriesForecast forecast,
        string title,
        string unit,
        string path,
        int historyHours = 24 * 14)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(forecast);
        ArgumentNullException.ThrowIfNull(forecast.Points);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(historyHours);
        if (history.Length == 0)
        {
            throw new ArgumentException($"history of series {history.Key} has no hours to chart", nameof(history));
        }

        if (forecast.Points.Count == 0)
        {
            throw new ArgumentException($"forecast of series {forecast.Series} has no points to chart", nameof(forecast));
        }

        using var plot = NewPlot(title);

        var first = Math.Max(0, history.Length - historyHours);
        var hours = Enumerable.Range(first, history.Length - first).Select(history.HourAt).ToArray();
        var values = history.Values[first..];
        AddLine(plot, hours, values, ActualColor, markers: false);

        var points = forecast.Points.OrderBy(p => p.Hour).ToArray();
        var forecastHours = points.Select(p => p.Hour).ToArray();
        AddBand(plot, forecastHours, points.Select(p => p.P10).ToArray(), points.Select(p => p.P90).ToArray(), ForecastColor);
        AddLine(plot, forecastHours, points.Select(p => p.P50).ToArray(), ForecastColor, markers: false);
        plot.Add.VerticalLine(ToX(history.LastHour), 1.5f, OriginColor, LinePattern.Dashed);

        SetupTimeAxis(plot);
        SetupValueAxis(plot, unit);
        ShowLegend(
            plot,
            LineItem("actual", ActualColor, LinePattern.Solid, markers: false),
            LineItem("forecast p50", ForecastColor, LinePattern.Solid, markers: false),
            BandItem("80% interval", ForecastColor),
            LineItem("origin", OriginColor, LinePattern.Dashed, markers: false));
        Save(plot, path, WideWidth, WideHeight);
    }

    /// <summary>Stacked daily cost, one colour per model, the most expensive model at the bottom of each bar.</summary>
    public static void DailyCostByModel(
        IReadOnlyDictionary<string, IReadOnlyList<(DateOnly Day, double Cost)>> costByModel,
        string title,
        string path)
    {
        ArgumentNullException.ThrowIfNull(costByModel);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var days = costByModel.Values.SelectMany(costs => costs.Select(c => c.Day)).Distinct().Order().ToArray();
        if (days.Length == 0)
        {
            throw new ArgumentException("no daily costs to chart", nameof(costByModel));
        }

        using var plot = NewPlot(title);

        var firstDay = days[0];
        var lastDay = days[^1];
        var stackTop = new Dictionary<DateOnly, double>();
        var palette = new ScottPlot.Palettes.Category10();
        var models = costByModel
            .Select(kv => (Model: kv.Key, Costs: kv.Value, Total: kv.Value.Where(c => double.IsFinite(c.Cost)).Sum(c => c.Cost)))
            .OrderByDescending(m => m.Total)
            .ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToArray();
        var stacks = new List<(string Model, Color Color, List<Bar> Bars)>();
        for (var m = 0; m < models.Length; m++)
        {
            var color = palette.GetColor(m);
            var bars = new List<Bar>();
            foreach (var (day, cost) in models[m].Costs.GroupBy(c => c.Day).Select(g => (g.Key, g.Where(c => double.IsFinite(c.Cost)).Sum(c => c.Cost))))
            {
                var bottom = stackTop.GetValueOrDefault(day);
                stackTop[day] = bottom + cost;
                bars.Add(new Bar
                {
                    Position = day.DayNumber - firstDay.DayNumber,
                    ValueBase = bottom,
                    Value = bottom + cost,
                    FillColor = color,
                    LineWidth = 0,
                    Size = 0.8,
                });
            }

            stacks.Add((models[m].Model, color, bars));
        }

        // Added top layer first so the legend reads in the same order as the stack.
        foreach (var (model, color, bars) in Enumerable.Reverse(stacks))
        {
            var barPlot = plot.Add.Bars(bars);
            barPlot.LegendText = model;
            barPlot.Color = color;
        }

        plot.Axes.Bottom.TickGenerator = DayTicks(firstDay, lastDay);
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = FormatCompact };
        plot.YLabel("USD / day");
        plot.XLabel("day (UTC)");
        plot.Axes.Margins(left: 0.01, right: 0.01, bottom: 0, top: 0.05);
        plot.ShowLegend(Edge.Right);
        Save(plot, path, WideWidth, WideHeight);
    }

    /// <summary>
    /// Service quality per model and day: latency p95 (solid, left axis, ms) and error rate (dashed, right axis, %),
    /// one colour per model.
    /// </summary>
    public static void ServiceQualityChart(IReadOnlyList<Reports.ServiceQualityDay> days, string title, string path)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (days.Count == 0)
        {
            throw new ArgumentException("no service quality days to chart", nameof(days));
        }

        using var plot = NewPlot(title);
        var firstDay = days.Min(d => d.Day);
        var lastDay = days.Max(d => d.Day);
        var palette = new ScottPlot.Palettes.Category10();
        var models = days.Select(d => d.Model).Distinct().Order(StringComparer.Ordinal).ToArray();
        for (var m = 0; m < models.Length; m++)
        {
            var color = palette.GetColor(m);
            var own = days.Where(d => d.Model == models[m]).OrderBy(d => d.Day).ToList();
            var latency = own.Where(d => d.LatencyMsP95 is not null).ToList();
            if (latency.Count > 0)
            {
                var line = plot.Add.Scatter(latency.Select(d => (double)(d.Day.DayNumber - firstDay.DayNumber)).ToArray(), latency.Select(d => d.LatencyMsP95!.Value).ToArray(), color);
                line.LegendText = $"{models[m]} p95 latency";
                line.LineWidth = 2;
            }

            var errors = own.Where(d => d.ErrorRate is not null).ToList();
            if (errors.Count > 0)
            {
                var line = plot.Add.Scatter(errors.Select(d => (double)(d.Day.DayNumber - firstDay.DayNumber)).ToArray(), errors.Select(d => 100 * d.ErrorRate!.Value).ToArray(), color);
                line.LegendText = $"{models[m]} error rate";
                line.LinePattern = LinePattern.Dashed;
                line.MarkerSize = 0;
                line.Axes.YAxis = plot.Axes.Right;
            }
        }

        plot.Axes.Bottom.TickGenerator = DayTicks(firstDay, lastDay);
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = FormatCompact };
        plot.YLabel("latency p95 (ms)");
        plot.Axes.Right.Label.Text = "error rate (%)";
        plot.XLabel("day (UTC)");
        plot.ShowLegend(Edge.Right);
        Save(plot, path, WideWidth, WideHeight);
    }

    /// <summary>
    /// Actuals against the served backtest forecast. Where origins overlap an hour, the latest origin wins:
    /// that is the forecast that would have been on screen at the time.
    /// </summary>
    public static void BacktestChart(IReadOnlyList<BacktestPoint> points, string title, string unit, string path)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var served = points
            .Where(p => p.Hour.HasValue)
            .GroupBy(p => p.Hour!.Value)
            .Select(g => g.OrderByDescending(p => p.OriginHour).ThenBy(p => p.Step).First())
            .OrderBy(p => p.Hour)
            .ToArray();
        if (served.Length == 0)
        {
            throw new ArgumentException("no backtest points with an hour to chart", nameof(points));
        }

        using var plot = NewPlot(title);

        var hours = served.Select(p => p.Hour!.Value).ToArray();
        AddBand(plot, hours, served.Select(p => p.P10).ToArray(), served.Select(p => p.P90).ToArray(), ForecastColor);
        AddLine(plot, hours, served.Select(p => p.Forecast).ToArray(), ForecastColor, markers: false);
        AddLine(plot, hours, served.Select(p => p.Actual).ToArray(), ActualColor, markers: true);
        var legend = new List<LegendItem>
        {
            LineItem("actual", ActualColor, LinePattern.Solid, markers: true),
            LineItem("forecast p50", ForecastColor, LinePattern.Solid, markers: false),
            BandItem("80% interval", ForecastColor),
        };

        var origins = served.Select(p => p.OriginHour!.Value).Distinct().ToArray();
        if (origins.Length <= MaxOriginLines)
        {
            foreach (var origin in origins)
            {
                plot.Add.VerticalLine(ToX(origin), 1, OriginColor.WithAlpha(0.6), LinePattern.Dotted);
            }

            legend.Add(LineItem("origin", OriginColor, LinePattern.Dotted, markers: false));
        }

        SetupTimeAxis(plot);
        SetupValueAxis(plot, unit);
        ShowLegend(plot, [.. legend]);
        Save(plot, path, WideWidth, WideHeight);
    }

    /// <summary>Mean value per weekday × hour of day (UTC); hours with no value are left out of the mean.</summary>
    public static void WeeklyHeatmap(HourlySeries history, string title, string path)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var sums = new double[7, 24];
        var counts = new int[7, 24];
        for (var i = 0; i < history.Length; i++)
        {
            var value = history.Values[i];
            if (!double.IsFinite(value))
            {
                continue;
            }

            var hour = history.HourAt(i).UtcDateTime;
            var day = ((int)hour.DayOfWeek + 6) % 7;
            sums[day, hour.Hour] += value;
            counts[day, hour.Hour]++;
        }

        if (counts.Cast<int>().All(c => c == 0))
        {
            throw new ArgumentException($"history of series {history.Key} has no values to chart", nameof(history));
        }

        var means = new double[7, 24];
        for (var d = 0; d < 7; d++)
        {
            for (var h = 0; h < 24; h++)
            {
                means[d, h] = counts[d, h] == 0 ? double.NaN : sums[d, h] / counts[d, h];
            }
        }

        var fullTitle = title?.Contains("UTC", StringComparison.OrdinalIgnoreCase) == true ? title : $"{title} (UTC)";
        using var plot = NewPlot(fullTitle);

        var heatmap = plot.Add.Heatmap(means);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.NaNCellColor = Colors.LightGray;
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = "mean per hour";
        colorBar.Axis.TickGenerator = new NumericAutomatic { LabelFormatter = FormatCompact };

        plot.Axes.Bottom.TickGenerator = new NumericManual(
            Enumerable.Range(0, 8).Select(i => i * 3.0).ToArray(),
            Enumerable.Range(0, 8).Select(i => (i * 3).ToString("00", CultureInfo.InvariantCulture) + ":00").ToArray());
        plot.Axes.Left.TickGenerator = new NumericManual(
            Enumerable.Range(0, 7).Select(d => (double)(6 - d)).ToArray(),
            WeekdayLabels);
        plot.XLabel("hour of day (UTC)");
        plot.Axes.Margins(0, 0);
        plot.Grid.IsVisible = false;
        Save(plot, path, HeatmapWidth, HeatmapHeight);
    }

    /// <summary>Compact tick labels: 1.2M rather than 1200000.</summary>
    internal static string FormatCompact(double value)
    {
        var abs = Math.Abs(value);
        return abs switch
        {
            >= 1e12 => (value / 1e12).ToString("0.##", CultureInfo.InvariantCulture) + "T",
            >= 1e9 => (value / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + "B",
            >= 1e6 => (value / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
            >= 1e3 => (value / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + "k",
            _ => value.ToString("0.##", CultureInfo.InvariantCulture),
        };
    }

    private static Plot NewPlot(string? title)
    {
        var plot = new Plot();
        if (!string.IsNullOrWhiteSpace(title))
        {
            plot.Title(title);
        }

        return plot;
    }

    private static double ToX(DateTimeOffset hour) => hour.UtcDateTime.ToOADate();

    /// <summary>Index runs [start, end) of finite values on consecutive hours: a gap or NaN breaks the line.</summary>
    private static List<(int Start, int End)> Runs(DateTimeOffset[] hours, Func<int, bool> isValid)
    {
        var runs = new List<(int Start, int End)>();
        var start = -1;
        for (var i = 0; i <= hours.Length; i++)
        {
            var valid = i < hours.Length && isValid(i);
            var continues = valid && start >= 0 && hours[i] - hours[i - 1] == TimeSpan.FromHours(1);
            if (start >= 0 && !continues)
            {
                runs.Add((start, i));
                start = -1;
            }

            if (valid && start < 0)
            {
                start = i;
            }
        }

        return runs;
    }

    private static void AddLine(Plot plot, DateTimeOffset[] hours, double[] values, Color color, bool markers)
    {
        foreach (var (start, end) in Runs(hours, i => double.IsFinite(values[i])))
        {
            var xs = hours[start..end].Select(ToX).ToArray();
            var line = plot.Add.ScatterLine(xs, values[start..end], color);
            line.LineWidth = 1.5f;
            if (markers || end - start == 1)
            {
                // A lone hour between gaps has no line to draw, so it needs a marker to be seen at all.
                line.MarkerShape = MarkerShape.FilledCircle;
                line.MarkerSize = 3;
            }
        }
    }

    private static void AddBand(Plot plot, DateTimeOffset[] hours, double[] low, double[] high, Color color)
    {
        foreach (var (start, end) in Runs(hours, i => double.IsFinite(low[i]) && double.IsFinite(high[i])))
        {
            var xs = hours[start..end].Select(ToX).ToArray();
            var band = plot.Add.FillY(xs, low[start..end], high[start..end]);
            band.FillColor = color.WithAlpha(0.25);
            band.LineWidth = 0;
        }
    }

    private static LegendItem LineItem(string label, Color color, LinePattern pattern, bool markers) => new()
    {
        LabelText = label,
        LineColor = color,
        LineWidth = 1.5f,
        LinePattern = pattern,
        MarkerShape = markers ? MarkerShape.FilledCircle : MarkerShape.None,
        MarkerSize = 4,
        MarkerFillColor = color,
        MarkerLineColor = color,
    };

    private static LegendItem BandItem(string label, Color color) => new()
    {
        LabelText = label,
        FillColor = color.WithAlpha(0.25),
    };

    /// <summary>
    /// A one-row legend in listed order (plot order puts the band first), with headroom above the data so it
    /// never covers a peak.
    /// </summary>
    private static void ShowLegend(Plot plot, params LegendItem[] items)
    {
        plot.Legend.DisplayPlottableLegendItems = false;
        plot.Legend.ManualItems.AddRange(items);
        plot.ShowLegend(Alignment.UpperLeft, Orientation.Horizontal);
        plot.Axes.Margins(left: 0.01, right: 0.04, bottom: 0.03, top: 0.15);
    }

    private static void SetupTimeAxis(Plot plot)
    {
        var axis = plot.Axes.DateTimeTicksBottom();
        if (axis.TickGenerator is DateTimeAutomatic ticks)
        {
            // Midnight ticks name the day; ticks inside a day show the hour.
            ticks.LabelFormatter = t => t.TimeOfDay == TimeSpan.Zero
                ? t.ToString("ddd dd MMM", CultureInfo.InvariantCulture)
                : t.ToString("HH:mm", CultureInfo.InvariantCulture);
        }

        plot.XLabel("time (UTC)");
    }

    private static void SetupValueAxis(Plot plot, string? unit)
    {
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = FormatCompact };
        if (!string.IsNullOrWhiteSpace(unit))
        {
            plot.YLabel(unit);
        }
    }

    /// <summary>Every day labelled when they fit, otherwise Mondays (every n-th Monday on long ranges).</summary>
    private static NumericManual DayTicks(DateOnly firstDay, DateOnly lastDay)
    {
        var ticks = new NumericManual();
        var dayCount = lastDay.DayNumber - firstDay.DayNumber + 1;
        var weekStep = Math.Max(1, (int)Math.Ceiling(dayCount / 7.0 / MaxDayLabels));
        var mondays = 0;
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            var position = day.DayNumber - firstDay.DayNumber;
            var label = day.ToString("ddd dd MMM", CultureInfo.InvariantCulture);
            if (dayCount <= MaxDayLabels)
            {
                ticks.AddMajor(position, label);
            }
            else if (day.DayOfWeek == DayOfWeek.Monday && mondays++ % weekStep == 0)
            {
                ticks.AddMajor(position, label);
            }
            else
            {
                ticks.AddMinor(position);
            }
        }

        return ticks;
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        plot.SavePng(path, width, height);
    }
}
