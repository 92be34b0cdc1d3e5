using System.Net;
using System.Net.Sockets;
using System.Text;
using Forecasting.Deploy.Tests.Support;
using static Forecasting.Deploy.Tests.Support.Manifests;

namespace Forecasting.Deploy.Tests;

/// <summary>
/// The Dockerfile's contract, read from the file: base images as arguments, a self-contained trimmed linux-x64
/// publish, the non-root user the Kubernetes manifest runs as, the listening address, the data volume and the
/// probe script. ContainerImageTests builds and runs it.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly Dockerfile File = Dockerfile.Load();

    [Fact]
    public void BothBaseImagesAreArgumentsDefaultingToMicrosoftsDotnet10Images()
    {
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", File.GlobalArg("SDK_IMAGE"));
        Assert.Equal("mcr.microsoft.com/dotnet/runtime-deps:10.0", File.GlobalArg("BASE_IMAGE"));
        Assert.Equal(2, File.Stages.Count);
        Assert.Equal("${SDK_IMAGE} AS build", File.Stages[0].From.Arguments);
        Assert.Equal("${BASE_IMAGE} AS final", File.Final.From.Arguments);

        var props = System.IO.File.ReadAllText(Path.Combine(Repo.Root, "Directory.Build.props"));
        Assert.Contains("<TargetFramework>net10.0</TargetFramework>", props, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBuildStagePublishesTheCliSelfContainedForLinuxX64AndTrimmed()
    {
        var build = File.Stages[0];
        var trim = Dockerfile.ArgDefault(build.Instructions, "TRIM");
        Assert.Contains("-p:PublishTrimmed=true", trim, StringComparison.Ordinal);
        Assert.Contains("-p:TrimMode=partial", trim, StringComparison.Ordinal);

        var runs = build.All("RUN").Select(r => r.Arguments).ToList();
        var restore = Assert.Single(runs, r => r.Contains("dotnet restore", StringComparison.Ordinal));
        var publish = Assert.Single(runs, r => r.Contains("dotnet publish", StringComparison.Ordinal));
        foreach (var step in new[] { restore, publish })
        {
            Assert.Contains("src/Forecasting.Cli/Forecasting.Cli.csproj", step, StringComparison.Ordinal);
            Assert.Contains("-r linux-x64", step, StringComparison.Ordinal);
            Assert.Contains("$TRIM", step, StringComparison.Ordinal);
        }

        Assert.Contains("--self-contained", publish, StringComparison.Ordinal);
        Assert.Contains("-o /app", publish, StringComparison.Ordinal);
        Assert.Contains(File.Final.All("COPY"), c => c.Arguments == "--from=build /app /app");
    }

    [Fact]
    public void TheFinalStageRunsServeAsTheNonRootUserTheKubernetesDeploymentRunsAs()
    {
        var uid = Dockerfile.ArgDefault(File.Final.Instructions, "APP_UID");
        Assert.NotEqual("0", uid);
        Assert.Equal("${APP_UID}", File.Final.Single("USER").Arguments);
        var runAsUser = At(Single("Deployment"), "spec", "template", "spec", "securityContext", "runAsUser");
        Assert.Equal(uid, runAsUser.ToString());

        var cli = System.IO.File.ReadAllText(Path.Combine(Repo.Root, "src", "Forecasting.Cli", "Forecasting.Cli.csproj"));
        Assert.Contains("<AssemblyName>forecasting</AssemblyName>", cli, StringComparison.Ordinal);
        Assert.Equal(["/app/forecasting"], File.Final.Single("ENTRYPOINT").Exec);
        Assert.Equal(["serve"], File.Final.Single("CMD").Exec);
    }

    [Fact]
    public void ServeListensOnAllInterfacesOnTheExposedPortAndKeepsItsStateInTheDataVolume()
    {
        var env = File.Final.Env();
        var url = new Uri(env["ASPNETCORE_URLS"]);
        Assert.Equal("0.0.0.0", url.Host);
        Assert.Equal(url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), File.Final.Single("EXPOSE").Arguments);

        Assert.Equal("/data", File.Final.Single("VOLUME").Arguments);
        Assert.Equal("/data", File.Final.Single("WORKDIR").Arguments);
        Assert.StartsWith("/data/", env["FORECASTING_DB"], StringComparison.Ordinal);
        Assert.StartsWith("/data/", env["FORECASTING_MODELS"], StringComparison.Ordinal);
        // The volume's mount point belongs to the app's user, so a fresh named volume is writable.
        Assert.Contains(File.Final.All("RUN"), r => r.Arguments.Contains("chown \"$APP_UID:$APP_UID\" /data", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryFileTheBuildCopiesIsInTheRepositoryAndNotExcludedFromTheContext()
    {
        var ignored = System.IO.File.ReadAllLines(Path.Combine(Repo.Root, ".dockerignore"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.TrimEnd('/'))
            .ToList();
        var sources = File.Stages.SelectMany(s => s.All("COPY"))
            .Where(c => !c.Arguments.StartsWith("--from=", StringComparison.Ordinal))
            .SelectMany(c => c.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).SkipLast(1))
            .ToList();

        Assert.Contains(".editorconfig", sources);
        Assert.All(sources, source =>
        {
            var path = Path.Combine(Repo.Root, source);
            Assert.True(System.IO.File.Exists(path) || Directory.Exists(path), $"COPY {source}: not in the repository");
            Assert.DoesNotContain(ignored, pattern => source.TrimEnd('/') == pattern || source.StartsWith(pattern + "/", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void TheHealthcheckIsTheProbeScriptCopiedIntoTheImage()
    {
        Assert.EndsWith("CMD [\"/app/healthcheck\"]", File.Final.Single("HEALTHCHECK").Arguments, StringComparison.Ordinal);
        Assert.Contains(File.Final.All("COPY"), c => c.Arguments == "--chmod=755 deploy/container/healthcheck.sh /app/healthcheck");
    }

    /// <summary>The probe script against a stand-in server: 0 only for a 200 on the path it is given, on the port of ASPNETCORE_URLS.</summary>
    [Fact]
    public async Task TheHealthcheckScriptPassesOnlyOnA200ForItsPath()
    {
        var bash = Tool.Require("bash", "bash");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var paths = new List<string>();
        using var stop = new CancellationTokenSource();
        var server = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                var path = (await reader.ReadLineAsync(stop.Token))!.Split(' ')[1];
                lock (paths)
                {
                    paths.Add(path);
                }

                var status = path == "/health/ready" ? "200 OK" : "503 Service Unavailable";
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), stop.Token);
            }
        });

        var script = Path.Combine(Repo.Root, "deploy", "container", "healthcheck.sh");
        var urls = ("ASPNETCORE_URLS", $"http://0.0.0.0:{port};http://0.0.0.0:1");
        var ready = Tool.Run(bash, [script, "/health/ready"], TimeSpan.FromSeconds(30), urls);
        var live = Tool.Run(bash, [script], TimeSpan.FromSeconds(30), urls);
        await stop.CancelAsync();
        listener.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => server);

        Assert.True(ready.ExitCode == 0, ready.Output);
        Assert.NotEqual(0, live.ExitCode);
        Assert.Equal(["/health/ready", "/health/live"], paths);

        var nobody = Tool.Run(bash, [script], TimeSpan.FromSeconds(30), ("ASPNETCORE_URLS", $"http://0.0.0.0:{port}"));
        Assert.NotEqual(0, nobody.ExitCode);
    }
}
