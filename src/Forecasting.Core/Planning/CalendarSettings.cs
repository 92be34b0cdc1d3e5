namespace Forecasting.Core.Planning;

/// <summary>
/// <c>holidays</c> in <c>config/forecasting.json</c>: dates (<c>YYYY-MM-DD</c>, local to each project) that are
/// holidays for every project, and per project its own.
/// </summary>
public sealed record HolidaySettings
{
    public List<string> Dates { get; init; } = [];

    public Dictionary<string, List<string>> Projects { get; init; } = [];
}

/// <summary>
/// <c>time_zones</c> in <c>config/forecasting.json</c>: the IANA zone each project's calendar features are computed
/// in; <see cref="Default"/> for projects not listed and for the roll-ups across projects (UTC when absent).
/// </summary>
public sealed record TimeZoneSettings
{
    public string Default { get; init; } = "UTC";

    public Dictionary<string, string> Projects { get; init; } = [];
}
