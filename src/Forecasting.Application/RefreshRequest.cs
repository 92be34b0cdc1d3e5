namespace Forecasting.Application;

/// <summary>
/// What the hourly refresh collects and forecasts: the last <see cref="LookbackHours"/> hours from the one source named
/// by <see cref="Source"/> and <see cref="BaseUrl"/> (both unset: none) and from every source of the settings, then
/// <see cref="Target"/>'s forecast.
/// </summary>
public sealed record RefreshRequest(Core.Series.ForecastTarget Target, int LookbackHours, string? Source = null, string? BaseUrl = null, string ApiKeyVariable = "")
{
    public bool CollectsSource => !string.IsNullOrEmpty(Source) && !string.IsNullOrEmpty(BaseUrl);
}
