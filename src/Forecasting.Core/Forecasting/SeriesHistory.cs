namespace Forecasting.Core.Forecasting;

/// <summary>
/// What a forecaster sees of one series at an origin: the values up to it (NaN gaps), when known the first hour,
/// and the series key (<c>project/model</c>), which names its calendar (time zone and holidays).
/// </summary>
public sealed record SeriesHistory(ReadOnlyMemory<double> Values, DateTimeOffset? Start = null, string? Series = null)
{
    /// <summary>The hour after the last value, when the calendar is known.</summary>
    public DateTimeOffset? NextHour => Start?.AddHours(Values.Length);
}
