using System.Text.RegularExpressions;
using Forecasting.Deploy.Tests.Support;
using Xunit.Abstractions;

namespace Forecasting.Deploy.Tests;

/// <summary>
/// Builds the Dockerfile with podman and runs the image (scripts/container-smoke.sh): base images assembled from
/// Debian packages (no registry), serve answers its probes as uid 10001, the HEALTHCHECK passes, demo writes its
/// report and charts into the data volume. Needs root (it installs podman and friends with apt-get when missing);
/// without it the test is skipped with the reason, except under CI=true, where it fails.
/// </summary>
public sealed partial class ContainerImageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(25);

    [SkippableFact]
    public void TheImageBuildsServesItsProbesAsNonRootAndRunsTheDemo()
    {
        if (Environment.UserName != "root" && !OperatingSystem.IsWindows())
        {
            var reason = "the container smoke test runs podman as root (rootless podman needs subordinate ids set up)";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException($"CI=true: {reason}");
            }

            throw new SkipException(reason);
        }

        var bash = Tool.Require("bash", "bash");
        var (exit, log) = Tool.Run(bash, [Path.Combine(Repo.Root, "scripts", "container-smoke.sh")], Timeout);
        // The script's steps with their times, in the test log whether it passes or not.
        output.WriteLine(string.Join('\n', log.Split('\n').Where(l => l.StartsWith("[container-smoke", StringComparison.Ordinal) || l.StartsWith("container smoke:", StringComparison.Ordinal))));

        Assert.True(exit == 0, log);
        var summary = Summary().Match(log);
        Assert.True(summary.Success, log);
        Assert.Equal("10001", summary.Groups["uid"].Value);
        Assert.True(int.Parse(summary.Groups["charts"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, log);
        Assert.Contains("/health/live 200, /health/ready 200, /health 401 without the key", log, StringComparison.Ordinal);
        Assert.Contains("HEALTHCHECK ok", log, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"container smoke: passed in \d+ s: image \d+ MB \(/app \d+ MB, base \d+ MB\), /health/live after \d+ s, serve as uid (?<uid>\d+), demo wrote (?<charts>\d+) charts")]
    private static partial Regex Summary();
}
