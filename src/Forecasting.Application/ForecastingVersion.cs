using System.Reflection;

namespace Forecasting.Application;

/// <summary>The product version (Directory.Build.props <c>Version</c>), without a <c>+commit</c> suffix.</summary>
public static class ForecastingVersion
{
    public static string Current { get; } = Of(typeof(ForecastingVersion).Assembly);

    public static string Of(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString(3)
            ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
