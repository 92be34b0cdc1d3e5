using System.Globalization;

namespace Forecasting.Core.Usage;

/// <summary>Token counts for people: 1.28B, 13.76M, 966.7k.</summary>
public static class TokenFormat
{
    public static string Compact(double value) => value switch
    {
        >= 1e9 => (value / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + "B",
        >= 1e6 => (value / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (value / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + "k",
        _ => value.ToString("0", CultureInfo.InvariantCulture),
    };
}
