namespace Forecasting.Core.Forecasting;

/// <summary>One forecast hour: the median and the 80% interval.</summary>
public sealed record ForecastPoint(DateTimeOffset Hour, double P10, double P50, double P90)
{
    /// <summary>The nominal coverage of [<see cref="P10"/>, <see cref="P90"/>]: the level every served interval is calibrated to.</summary>
    public const double IntervalLevel = 0.8;
}
