namespace Forecasting.Deploy.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Deploy(params string[] parts) => Path.Combine([Root, "deploy", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Forecasting.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Forecasting.sln not found above {AppContext.BaseDirectory}");
    }
}
