using System.Diagnostics;

namespace Forecasting.Deploy.Tests.Support;

/// <summary>
/// An external checker (promtool, systemd-analyze): found on PATH, or installed with apt-get when the tests run
/// as root and it is missing (as ./test.sh installs PostgreSQL). Without it the test is skipped with the reason,
/// except under CI=true, where it fails.
/// </summary>
internal static class Tool
{
    private static readonly Lock Gate = new();

    public static string Require(string name, string debianPackage)
    {
        lock (Gate)
        {
            if (Find(name) is { } found)
            {
                return found;
            }

            if (Environment.UserName == "root" && Find("apt-get") is { } apt)
            {
                var install = Run(apt, ["install", "-y", "-q", "--no-install-recommends", debianPackage], TimeSpan.FromMinutes(5), ("DEBIAN_FRONTEND", "noninteractive"));
                if (install.ExitCode != 0)
                {
                    Run(apt, ["update", "-q"], TimeSpan.FromMinutes(5));
                    Run(apt, ["install", "-y", "-q", "--no-install-recommends", debianPackage], TimeSpan.FromMinutes(5), ("DEBIAN_FRONTEND", "noninteractive"));
                }

                if (Find(name) is { } installed)
                {
                    return installed;
                }
            }

            var reason = $"{name} is not installed (Debian package {debianPackage}) and could not be installed";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException($"CI=true: {reason}");
            }

            throw new SkipException(reason);
        }
    }

    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> args, TimeSpan timeout, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} ran longer than {timeout}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/bin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
