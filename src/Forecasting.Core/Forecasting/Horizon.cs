namespace Forecasting.Core.Forecasting;

/// <summary>
/// The one owner of forecast lengths: the default horizon, its bound, and the planning week that
/// summaries, budgets and capacity recommendations are about (whatever the horizon).
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

    /// <summary><paramref name="hours"/> when 1..<see cref="Maximum"/>; a user error naming <paramref name="option"/> otherwise.</summary>
    public static int Validate(int hours, string option = "--horizon") =>
        hours is >= 1 and <= Maximum
            ? hours
            : throw new InvalidInputException($"{option} must be between 1 and {Maximum} hours (eight weeks), got {hours}");
}
