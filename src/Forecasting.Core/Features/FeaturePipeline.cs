using Forecasting.Core.Forecasting;

namespace Forecasting.Core.Features;

/// <summary>
/// Builds the feature vector that predicts y[t] from y[0..t) only (and the calendar of hour t, read in the
/// series' own time zone with its holidays: <see cref="SeriesCalendar"/>, from <see cref="CalendarOf"/>).
/// <see cref="Transform"/> computes every row of a history at once (prefix sums, for training);
/// <see cref="Update"/> computes the next row only (for recursive forecasting). Both give the same
/// numbers: a parity test holds them to it, and a leakage test proves no row looks at y[t] or later.
/// Values are expected gap-free and scaled (the caller divides by a series scale).
/// </summary>
public sealed class FeaturePipeline
{
    private const int Week = Horizon.HoursPerWeek;
    private readonly FeatureOptions _options;
    private readonly int[] _lags;
    private readonly int[] _windows;
    private readonly SeriesCalendar _defaultCalendar;

    public FeaturePipeline(FeatureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _lags = [.. options.Lags];
        _windows = [.. options.RollingWindows];
        _defaultCalendar = options.Calendar ? options.CalendarOf(null) : SeriesCalendar.Utc;
        var names = new List<string>();
        names.AddRange(_lags.Select(l => $"lag_{l}"));
        foreach (var w in _windows)
        {
            names.Add($"mean_{w}");
            names.Add($"std_{w}");
            names.Add($"max_{w}");
        }

        names.Add($"same_hour_mean_{options.SameHourWeeks}w");
        names.Add("same_hour_mean_7d");
        names.Add("growth_24h_vs_last_week");
        if (options.Calendar)
        {
            names.AddRange(["hour_sin", "hour_cos", "dow_sin", "dow_cos", "weekend", "business_hour", "holiday"]);
        }

        Names = [.. names];
        ValueFeatureCount = _lags.Length + (3 * _windows.Length) + 2;
        MinHistory = Math.Max(Math.Max(_lags.Max(), _windows.Max()), Math.Max(Week * options.SameHourWeeks, Week + 24));
    }

    /// <summary>Identifies the feature set in model manifests: a model trained on one version needs the same version to predict.</summary>
    public string Version => $"v1:{string.Join(',', Names)}";

    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>The leading features measured in the series' own unit (lags, rolling and seasonal statistics); the rest are ratios and calendar.</summary>
    public int ValueFeatureCount { get; }

    /// <summary>Rows before this index lack some lag; they are not used for training.</summary>
    public int MinHistory { get; }

    /// <summary>The calendar of a series key (<see cref="FeatureOptions.CalendarOf"/>); UTC when the calendar features are off.</summary>
    public SeriesCalendar CalendarOf(string? series) => _options.Calendar ? _options.CalendarOf(series) : SeriesCalendar.Utc;

    /// <summary>Feature rows for t = from .. y.Length-1, each predicting y[t]; calendar features in <paramref name="calendar"/> (default: the options' default zone and common holidays).</summary>
    public float[][] Transform(ReadOnlySpan<double> y, DateTimeOffset? start, int from, SeriesCalendar? calendar = null)
    {
        calendar ??= _defaultCalendar;
        from = Math.Max(from, MinHistory);
        if (from >= y.Length)
        {
            return [];
        }

        // prefix[i] = sum of y[0..i); squares likewise: rolling mean and std in O(1) per row.
        var prefix = new double[y.Length + 1];
        var squares = new double[y.Length + 1];
        for (var i = 0; i < y.Length; i++)
        {
            prefix[i + 1] = prefix[i] + y[i];
            squares[i + 1] = squares[i] + (y[i] * y[i]);
        }

        var rows = new float[y.Length - from][];
        for (var t = from; t < y.Length; t++)
        {
            var row = new float[Count];
            var k = 0;
            foreach (var lag in _lags)
            {
                row[k++] = (float)y[t - lag];
            }

            foreach (var w in _windows)
            {
                var mean = (prefix[t] - prefix[t - w]) / w;
                var variance = Math.Max(0, ((squares[t] - squares[t - w]) / w) - (mean * mean));
                row[k++] = (float)mean;
                row[k++] = (float)Math.Sqrt(variance);
                row[k++] = (float)Max(y.Slice(t - w, w));
            }

            FillTail(y[..t], start?.AddHours(t), calendar, row.AsSpan(k));
            rows[t - from] = row;
        }

        return rows;
    }

    /// <summary>The feature row predicting the value right after <paramref name="history"/>.</summary>
    public void Update(ReadOnlySpan<double> history, DateTimeOffset? nextHour, Span<float> output, SeriesCalendar? calendar = null)
    {
        calendar ??= _defaultCalendar;
        var t = history.Length;
        if (t < MinHistory)
        {
            throw new ArgumentException($"need at least {MinHistory} hours of history, got {t}", nameof(history));
        }

        var k = 0;
        foreach (var lag in _lags)
        {
            output[k++] = (float)history[t - lag];
        }

        foreach (var w in _windows)
        {
            var window = history.Slice(t - w, w);
            double sum = 0, sumSquares = 0;
            foreach (var v in window)
            {
                sum += v;
                sumSquares += v * v;
            }

            var mean = sum / w;
            output[k++] = (float)mean;
            output[k++] = (float)Math.Sqrt(Math.Max(0, (sumSquares / w) - (mean * mean)));
            output[k++] = (float)Max(window);
        }

        FillTail(history, nextHour, calendar, output[k..]);
    }

    /// <summary>Seasonal means, growth and calendar: the same code for both paths.</summary>
    private void FillTail(ReadOnlySpan<double> past, DateTimeOffset? hour, SeriesCalendar calendar, Span<float> output)
    {
        var t = past.Length;
        var k = 0;
        double weeks = 0;
        for (var w = 1; w <= _options.SameHourWeeks; w++)
        {
            weeks += past[t - (w * Week)];
        }

        output[k++] = (float)(weeks / _options.SameHourWeeks);
        double days = 0;
        for (var d = 1; d <= 7; d++)
        {
            days += past[t - (d * 24)];
        }

        output[k++] = (float)(days / 7);
        double recent = 0, lastWeek = 0;
        for (var i = 1; i <= 24; i++)
        {
            recent += past[t - i];
            lastWeek += past[t - Week - i];
        }

        output[k++] = (float)(lastWeek > 0 ? Math.Clamp((recent / lastWeek) - 1, -1, 3) : 0);
        if (!_options.Calendar)
        {
            return;
        }

        var h = hour ?? throw new ArgumentException("calendar features need the hour", nameof(hour));
        // The wall clock of the series' tenants: a UTC hour is one local hour (around DST the local hours
        // skip or repeat one, the series' hours never do).
        var local = calendar.Local(h);
        var hourAngle = 2 * Math.PI * local.Hour / 24;
        var dayAngle = 2 * Math.PI * (((int)local.DayOfWeek * 24) + local.Hour) / Week;
        output[k++] = (float)Math.Sin(hourAngle);
        output[k++] = (float)Math.Cos(hourAngle);
        output[k++] = (float)Math.Sin(dayAngle);
        output[k++] = (float)Math.Cos(dayAngle);
        var weekend = local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        output[k++] = weekend ? 1 : 0;
        output[k++] = !weekend && local.Hour is >= 8 and < 18 ? 1 : 0;
        output[k] = calendar.IsHoliday(local) ? 1 : 0;
    }

    private static double Max(ReadOnlySpan<double> values)
    {
        var max = double.MinValue;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }
}
