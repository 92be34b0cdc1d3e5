namespace Forecasting.Core.Forecasting;

/// <summary>
/// The one owner of forecast lengths: the hours of a week (the weekly cycle every model, feature and check is
/// about), the default horizon, its bound, and the planning week that summaries, budgets and capacity
/// recommendations are about (whatever the horizon).
/// </summary>
public static class Horizon
{
    /// <summary>Hours in a day: the daily seasonal period.</summary>
    public const int HoursPerDay = 24;

    /// <summary>Hours in a week: the weekly seasonal period.</summary>
    public const int HoursPerWeek = 168;

    /// <summary>Hours forecast by default: one week.</summary>
    public const int Default = HoursPerWeek;

    /// <summary>The planning week: "next 7 days" in every summary and recommendation.</summary>
    public const int PlanningWeek = HoursPerWeek;

    /// <summary>The longest forecast served: eight weeks (a longer one is refused, not truncated).</summary>
    public const int Maximum = HoursPerWeek * 8;

    /// <summary>Whether <paramref name="hours"/> is a horizon that can be forecast: 1..<see cref="Maximum"/>.</summary>
    public static bool IsValid(int hours) => hours is >= 1 and <= Maximum;

    /// <summary>
    /// The one check of a horizon, made where it enters (the CLI's options, a service's settings): <paramref name="hours"/>
    /// when <see cref="IsValid"/>; otherwise a user error naming <paramref name="option"/>, the adapter's name for the setting.
    /// </summary>
    public static int Validate(int hours, string option)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(option);
        return IsValid(hours)
            ? hours
            : throw new InvalidInputException($"{option} must be between 1 and {Maximum} hours (eight weeks), got {hours}");
    }
}
