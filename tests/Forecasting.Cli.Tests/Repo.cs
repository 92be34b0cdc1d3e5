using System.Xml.Linq;

namespace Forecasting.Cli.Tests;

/// <summary>The repository the tests were built from (found upwards from the test binaries by Forecasting.sln).</summary>
internal static class Repo
{
    public static string Root { get; } = Find();

    /// <summary>Directory.Build.props <c>Version</c>: the product version.</summary>
    public static string Version =>
        XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("Version").Single().Value;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Forecasting.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Forecasting.sln above {AppContext.BaseDirectory}");
    }
}
