namespace Forecasting.Core.Forecasting;

/// <summary>
/// The one owner of forecast lengths: the default horizon, its bound, and the planning week that
/// summaries, budgets and capacity recommendations are about (whatever the horizon).
/// </summary>
public static class Horizon
{
    /// <summary>Hours forecast by default: one week.</summary>
    public const int Default = 168;

    /// <summary>The planning week: "next 7 days" in every summary and recommendation.</summary>
    public const int PlanningWeek = 168;

    /// <summary>The longest forecast served: eight weeks (a longer one is refused, not truncated).</summary>
    public const int Maximum = 24 * 7 * 8;

    /// <summary><paramref name="hours"/> when 1..<see cref="Maximum"/>; a user error naming <paramref name="option"/> otherwise.</summary>
    public static int Validate(int hours, string option = "--horizon") =>
        hours is >= 1 and <= Maximum
            ? hours
            : throw new InvalidInputException($"{option} must be between 1 and {Maximum} hours (eight weeks), got {hours}");
}
