using System.Diagnostics;
using System.Text.Json;

namespace Forecasting.Cli.Tests;

/// <summary>The CLI as a .NET tool: packed, installed into a folder from that package, and run as <c>forecasting</c>.</summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("forecasting-tool-").FullName;

    [Fact]
    public async Task ThePackedToolInstallsAndRuns()
    {
        var packages = Path.Combine(_dir, "nupkg");
        var tools = Path.Combine(_dir, "tools");
        // The test binaries sit in bin/<Configuration>/<framework>/: the CLI is built in the same configuration.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var project = Path.Combine(Repo.Root, "src", "Forecasting.Cli", "Forecasting.Cli.csproj");

        var pack = await RunAsync("dotnet", ["pack", project, "-c", configuration, "--no-build", "-o", packages, "-v", "quiet"]);
        Assert.True(pack.ExitCode == 0, pack.Output);
        var package = Assert.Single(Directory.GetFiles(packages, "*.nupkg"));
        Assert.Equal($"Forecasting.Cli.{Repo.Version}.nupkg", Path.GetFileName(package));

        var install = await RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", packages, "Forecasting.Cli"]);
        Assert.True(install.ExitCode == 0, install.Output);

        var forecasting = Path.Combine(tools, OperatingSystem.IsWindows() ? "forecasting.exe" : "forecasting");
        var version = await RunAsync(forecasting, ["--version"]);
        Assert.True(version.ExitCode == 0, version.Output);
        Assert.Equal(Repo.Version, version.Output.Trim());

        var db = Path.Combine(_dir, "status.db");
        var status = await RunAsync(forecasting, ["status", "--db", db, "--json"]);
        Assert.True(status.ExitCode == 0, status.Output);
        using var json = JsonDocument.Parse(status.Output);
        Assert.Equal(0, json.RootElement.GetProperty("rows").GetInt64());
        Assert.True(File.Exists(db));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Runs a program; <c>Output</c> is standard output, then standard error after a blank line when there is any.</summary>
    private async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A package cache of its own: the machine's cache may hold an older Forecasting.Cli of the same version.
        start.Environment["NUGET_PACKAGES"] = Path.Combine(_dir, "nuget-packages");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["FORECASTING_DB"] = "";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        var stderr = await error;
        return (process.ExitCode, await output + (stderr.Length > 0 ? "\n" + stderr : ""));
    }
}
