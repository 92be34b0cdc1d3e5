using System.CommandLine;
using Forecasting.Core;
using Forecasting.Core.Planning;

namespace Forecasting.Cli;

internal static class CliSettings
{
    public const string DefaultPath = "config/forecasting.json";

    /// <summary>--config, else config/forecasting.json in the working folder or above, else built-in defaults.</summary>
    public static PlanningSettings Load(ParseResult parseResult) =>
        FindPath(parseResult) is { } path ? PlanningSettings.Load(path) : new PlanningSettings();

    /// <summary>The settings file <see cref="Load"/> reads, or null for the built-in defaults.</summary>
    public static string? FindPath(ParseResult parseResult)
    {
        if (parseResult.GetValue(CommonOptions.Config) is { } path)
        {
            return File.Exists(path) ? Path.GetFullPath(path) : throw new InvalidInputException($"{Path.GetFullPath(path)}: no such settings file (--config)");
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, DefaultPath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
