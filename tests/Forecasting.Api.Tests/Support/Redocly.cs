using System.Diagnostics;

namespace Forecasting.Api.Tests.Support;

/// <summary>
/// The Redocly CLI (npm <c>@redocly/cli</c>), installed with npm into a folder of the temporary directory when it is
/// not there yet. Never skipped: without node and npm the lint test fails, saying so.
/// </summary>
internal static class Redocly
{
    public const string Version = "2.77.0";

    private static readonly Lock Gate = new();

    private static string Folder => Path.Combine(Path.GetTempPath(), $"forecasting-redocly-{Version}");

    public static (int ExitCode, string Output) Run(IEnumerable<string> args)
    {
        var redocly = Install();
        return Process(redocly, args, TimeSpan.FromMinutes(3));
    }

    private static string Install()
    {
        lock (Gate)
        {
            var bin = Path.Combine(Folder, "node_modules", ".bin", "redocly");
            if (File.Exists(bin))
            {
                return bin;
            }

            Directory.CreateDirectory(Folder);
            var (exitCode, output) = Process("npm", ["install", "--prefix", Folder, "--no-audit", "--no-fund", $"@redocly/cli@{Version}"], TimeSpan.FromMinutes(5));
            Assert.True(exitCode == 0 && File.Exists(bin), $"npm install @redocly/cli@{Version} failed ({exitCode}); node and npm are needed:\n{output}");
            return bin;
        }
    }

    private static (int ExitCode, string Output) Process(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // No telemetry or update checks from a test.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} timed out after {timeout}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
