namespace Forecasting.Core.Features;

/// <summary>Which features the pipeline builds. Changing them changes <see cref="FeaturePipeline.Version"/>.</summary>
public sealed record FeatureOptions
{
    public IReadOnlyList<int> Lags { get; init; } = [1, 2, 3, 24, 48, 168];

    public IReadOnlyList<int> RollingWindows { get; init; } = [6, 12, 24, 168];

    /// <summary>Mean of the same hour over the last N weeks (hour-of-week seasonality, robust to one odd week).</summary>
    public int SameHourWeeks { get; init; } = 2;

    /// <summary>Hour-of-day and day-of-week (sin/cos), weekend and business-hour flags. Needs real timestamps.</summary>
    public bool Calendar { get; init; } = true;

    /// <summary>Dates (UTC) flagged as holidays when <see cref="Calendar"/> is on.</summary>
    public IReadOnlyList<DateOnly> Holidays { get; init; } = [];
}
