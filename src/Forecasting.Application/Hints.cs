using Forecasting.Core.Series;

namespace Forecasting.Application;

/// <summary>The commands a message tells the user to run next, with the options their situation needs.</summary>
internal static class Hints
{
    public static string Command(string command, ForecastTarget target) =>
        target == ForecastTarget.Tokens ? $"forecasting {command}" : $"forecasting {command} --target {target.Name()}";
}
