using System.Reflection;
using System.Text.Json;
using Forecasting.Api;
using Forecasting.Api.Scheduling;
using Forecasting.Deploy.Tests.Support;

namespace Forecasting.Deploy.Tests;

/// <summary>deploy/appsettings.example.json names only settings the service has (a typo would be silently ignored).</summary>
public sealed class AppSettingsExampleTests
{
    [Fact]
    public void EveryForecastingKeyIsAnOption()
    {
        using var example = JsonDocument.Parse(File.ReadAllText(Repo.Deploy("appsettings.example.json")));
        var section = example.RootElement.GetProperty(ApiOptions.Section);

        var unknown = Unknown(section, typeof(ApiOptions), "Schedule")
            .Concat(Unknown(section.GetProperty("Schedule"), typeof(SchedulingOptions)))
            .ToList();

        Assert.True(unknown.Count == 0, $"not settings: {string.Join(", ", unknown)}");
        Assert.False(section.TryGetProperty(nameof(ApiOptions.ApiKey), out _), "the API key is read from the environment only");
    }

    private static IEnumerable<string> Unknown(JsonElement section, Type options, params string[] sections)
    {
        var names = options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return section.EnumerateObject().Select(p => p.Name).Where(n => !names.Contains(n) && !sections.Contains(n));
    }
}
