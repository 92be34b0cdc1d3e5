using Forecasting.Deploy.Tests.Support;

namespace Forecasting.Deploy.Tests;

/// <summary>deploy/systemd/forecasting.service passes <c>systemd-analyze verify</c> without a single complaint.</summary>
public sealed class SystemdUnitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [SkippableFact]
    public void TheUnitVerifiesCleanly()
    {
        var (exit, output) = Verify(unit => unit);

        Assert.True(exit == 0, output);
        Assert.Equal("", output.Trim());
    }

    [SkippableFact]
    public void VerifyWouldReportAMistakeInTheUnit()
    {
        var (_, output) = Verify(unit => unit.Replace("Type=exec", "Type=sometimes", StringComparison.Ordinal));

        Assert.Contains("sometimes", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheUnitRunsServeAndRestartsOnFailure()
    {
        var unit = File.ReadAllLines(Repo.Deploy("systemd", "forecasting.service"));

        Assert.Contains(unit, l => l.StartsWith("ExecStart=/opt/forecasting/forecasting serve ", StringComparison.Ordinal));
        Assert.Contains("Restart=on-failure", unit);
        Assert.Contains("EnvironmentFile=-/etc/forecasting/forecasting.env", unit);
        Assert.Contains("WantedBy=multi-user.target", unit);
    }

    /// <summary>
    /// Verifies a copy whose ExecStart names a stand-in executable: the published app is not installed here, and
    /// verify checks that the command exists. Everything else is the committed unit.
    /// </summary>
    private static (int ExitCode, string Output) Verify(Func<string, string> edit)
    {
        var analyze = Tool.Require("systemd-analyze", "systemd");
        var dir = Directory.CreateTempSubdirectory("forecasting-unit-").FullName;
        try
        {
            var stand = Path.Combine(dir, "forecasting");
            File.WriteAllText(stand, "#!/bin/sh\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(stand, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var unit = File.ReadAllText(Repo.Deploy("systemd", "forecasting.service"));
            Assert.Contains("/opt/forecasting/forecasting ", unit, StringComparison.Ordinal);
            var path = Path.Combine(dir, "forecasting.service");
            File.WriteAllText(path, edit(unit.Replace("/opt/forecasting/forecasting ", stand + " ", StringComparison.Ordinal)));
            return Tool.Run(analyze, ["verify", path], Timeout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
