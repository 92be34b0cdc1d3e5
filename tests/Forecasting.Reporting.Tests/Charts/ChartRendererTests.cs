using System.Buffers.Binary;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.Reporting.Charts;
using SkiaSharp;

namespace Forecasting.Reporting.Tests.Charts;

public sealed class ChartRendererTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly DateTimeOffset Start = new(2025, 10, 6, 0, 0, 0, TimeSpan.Zero);

    private readonly string _folder;
    private readonly bool _keep;

    public ChartRendererTests()
    {
        // Set CHART_TEST_OUTPUT to keep the PNGs for a look; otherwise they go to a temp folder that is removed.
        var keepIn = Environment.GetEnvironmentVariable("CHART_TEST_OUTPUT");
        _keep = !string.IsNullOrEmpty(keepIn);
        _folder = _keep ? keepIn! : Path.Combine(Path.GetTempPath(), "chart-tests-" + Guid.NewGuid().ToString("N"));
    }

    public void Dispose()
    {
        if (!_keep && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void ForecastChartIsA1200x500PngWithText()
    {
        var history = Traffic(new Random(1), hours: 24 * 28, withGaps: true);
        var forecast = Forecast(history, new Random(2), hours: 168);
        var path = Path.Combine(_folder, "forecast", "forecast.png");

        ChartRenderer.ForecastChart(history, forecast, "acme/gpt-large: tokens", "tokens / hour", path);

        AssertReadablePng(path, 1200, 500);
    }

    [Fact]
    public void DailyCostChartIsA1200x500PngWithText()
    {
        var random = new Random(3);
        var firstDay = new DateOnly(2025, 11, 3);
        var costs = new Dictionary<string, IReadOnlyList<(DateOnly Day, double Cost)>>();
        foreach (var (model, scale) in new[] { ("gpt-large", 420.0), ("gpt-small", 95.0), ("embed-v3", 18.0), ("claude-mid", 160.0) })
        {
            costs[model] = Enumerable.Range(0, 21)
                .Select(d => (firstDay.AddDays(d), scale * (d % 7 >= 5 ? 0.45 : 1.0) * (0.85 + (0.3 * random.NextDouble()))))
                .ToList();
        }

        var path = Path.Combine(_folder, "cost.png");

        ChartRenderer.DailyCostByModel(costs, "Daily cost by model", path);

        AssertReadablePng(path, 1200, 500);
    }

    [Fact]
    public void BacktestChartIsA1200x500PngWithText()
    {
        var history = Traffic(new Random(4), hours: 24 * 21, withGaps: true);
        var points = Backtest(history, new Random(5), origins: 6, horizon: 48, originStep: 24);
        var path = Path.Combine(_folder, "backtest.png");

        ChartRenderer.BacktestChart(points, "acme/gpt-large: backtest", "tokens / hour", path);

        AssertReadablePng(path, 1200, 500);
    }

    [Fact]
    public void WeeklyHeatmapIsAPngWithText()
    {
        var history = Traffic(new Random(6), hours: 24 * 42, withGaps: true);
        var path = Path.Combine(_folder, "heatmap.png");

        ChartRenderer.WeeklyHeatmap(history, "acme/gpt-large: mean tokens per hour", path);

        AssertReadablePng(path, 1000, 450);
    }

    [Fact]
    public void EmptyInputsThrowArgumentException()
    {
        var empty = new HourlySeries(new SeriesKey("acme", "gpt-large"), Start, []);
        var history = Traffic(new Random(7), hours: 48, withGaps: false);
        var forecast = Forecast(history, new Random(8), hours: 24);
        var noPoints = new SeriesForecast(new SeriesKey("acme", "gpt-large"), "seasonal-naive", []);
        var allGaps = new HourlySeries(new SeriesKey("acme", "gpt-large"), Start, [double.NaN, double.NaN]);
        var path = Path.Combine(_folder, "never.png");

        Assert.Throws<ArgumentException>(() => ChartRenderer.ForecastChart(empty, forecast, "t", "u", path));
        Assert.Throws<ArgumentException>(() => ChartRenderer.ForecastChart(history, noPoints, "t", "u", path));
        Assert.Throws<ArgumentException>(() => ChartRenderer.DailyCostByModel(new Dictionary<string, IReadOnlyList<(DateOnly Day, double Cost)>>(), "t", path));
        Assert.Throws<ArgumentException>(() => ChartRenderer.BacktestChart([], "t", "u", path));
        Assert.Throws<ArgumentException>(() => ChartRenderer.WeeklyHeatmap(empty, "t", path));
        Assert.Throws<ArgumentException>(() => ChartRenderer.WeeklyHeatmap(allGaps, "t", path));
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(950, "950")]
    [InlineData(1200, "1.2k")]
    [InlineData(1_234_567, "1.23M")]
    [InlineData(-2_500_000_000, "-2.5B")]
    public void LargeNumbersAreCompact(double value, string expected)
    {
        Assert.Equal(expected, ChartRenderer.FormatCompact(value));
    }

    private static void AssertReadablePng(string path, int width, int height)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(PngSignature, bytes[..8]);
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));

        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        var colours = new HashSet<uint>();
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                colours.Add((uint)bitmap.GetPixel(x, y));
            }
        }

        Assert.True(colours.Count > 50, $"only {colours.Count} distinct colours: the chart looks blank");

        // The title is the only thing drawn in the top strip; dark pixels there prove a font was found.
        var darkTitlePixels = 0;
        for (var y = 0; y < 40; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                if (pixel.Red < 100 && pixel.Green < 100 && pixel.Blue < 100)
                {
                    darkTitlePixels++;
                }
            }
        }

        Assert.True(darkTitlePixels > 100, $"only {darkTitlePixels} dark pixels in the title strip: text did not render");
    }

    /// <summary>Hourly tokens with a daytime peak, quiet weekends, noise and a few outage gaps.</summary>
    private static HourlySeries Traffic(Random random, int hours, bool withGaps)
    {
        var values = new double[hours];
        for (var i = 0; i < hours; i++)
        {
            var hour = Start.AddHours(i);
            var daily = 0.35 + (0.65 * Math.Max(0, Math.Sin(Math.PI * (hour.Hour - 6) / 14.0)));
            var weekly = hour.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.4 : 1.0;
            values[i] = 2_000_000 * daily * weekly * (0.9 + (0.2 * random.NextDouble()));
        }

        if (withGaps)
        {
            for (var gap = 0; gap < 3; gap++)
            {
                var at = random.Next(24, hours - 48);
                values.AsSpan(at, random.Next(2, 7)).Fill(double.NaN);
            }
        }

        return new HourlySeries(new SeriesKey("acme", "gpt-large"), Start, values);
    }

    /// <summary>A seasonal-naive style forecast: last week's shape, widening interval.</summary>
    private static SeriesForecast Forecast(HourlySeries history, Random random, int hours)
    {
        var points = new List<ForecastPoint>();
        for (var step = 1; step <= hours; step++)
        {
            var sameHourLastWeek = history.Values[Math.Max(0, history.Length - 168 + ((step - 1) % 168))];
            var p50 = double.IsNaN(sameHourLastWeek) ? 1_000_000 : sameHourLastWeek * (0.95 + (0.1 * random.NextDouble()));
            var spread = p50 * (0.1 + (0.002 * step));
            points.Add(new ForecastPoint(history.LastHour.AddHours(step), p50 - spread, p50, p50 + spread));
        }

        return new SeriesForecast(new SeriesKey("acme", "gpt-large"), "seasonal-naive", points);
    }

    /// <summary>Overlapping origins: each forecasts <paramref name="horizon"/> hours, origins <paramref name="originStep"/> apart.</summary>
    private static List<BacktestPoint> Backtest(HourlySeries history, Random random, int origins, int horizon, int originStep)
    {
        var points = new List<BacktestPoint>();
        var firstOrigin = history.Length - horizon - ((origins - 1) * originStep) - 1;
        for (var fold = 0; fold < origins; fold++)
        {
            var origin = firstOrigin + (fold * originStep);
            for (var step = 1; step <= horizon; step++)
            {
                var index = origin + step;
                var lastWeek = history.Values[index - 168];
                var forecast = (double.IsNaN(lastWeek) ? 1_000_000 : lastWeek) * (0.9 + (0.2 * random.NextDouble()));
                var spread = forecast * 0.15;
                points.Add(new BacktestPoint("acme/gpt-large", fold, origin, step, history.HourAt(index), history.Values[index], forecast, "seasonal-naive", 1_000_000)
                {
                    P10 = forecast - spread,
                    P90 = forecast + spread,
                    ServedBy = "seasonal-naive",
                });
            }
        }

        return points;
    }
}
