using System.Text.RegularExpressions;
using Forecasting.Deploy.Tests.Support;

namespace Forecasting.Deploy.Tests;

/// <summary>
/// Builds the Dockerfile with podman and runs the image (scripts/container-smoke.sh): base images assembled from
/// Debian packages (no registry), serve answers its probes as uid 10001, the HEALTHCHECK passes, demo writes its
/// report and charts into the data volume. Needs root (it installs podman and friends with apt-get when missing);
/// without it the test is skipped with the reason, except under CI=true, where it fails.
/// </summary>
public sealed partial class ContainerImageTests
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
        var (exit, output) = Tool.Run(bash, [Path.Combine(Repo.Root, "scripts", "container-smoke.sh")], Timeout);

        Assert.True(exit == 0, output);
        var summary = Summary().Match(output);
        Assert.True(summary.Success, output);
        Assert.Equal("10001", summary.Groups["uid"].Value);
        Assert.True(int.Parse(summary.Groups["charts"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, output);
        Assert.Contains("/health/live 200, /health/ready 200, /health 401 without the key", output, StringComparison.Ordinal);
        Assert.Contains("HEALTHCHECK ok", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"container smoke: passed in \d+ s: image \d+ MB \(/app \d+ MB, base \d+ MB\), /health/live after \d+ s, serve as uid (?<uid>\d+), demo wrote (?<charts>\d+) charts")]
    private static partial Regex Summary();
}
