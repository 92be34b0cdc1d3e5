using System.Diagnostics;
using System.Text.Json;
using Forecasting.Core.Usage;
using Forecasting.Testing;

namespace Forecasting.Cli.Tests;

/// <summary>The process killed (SIGKILL) in the middle of work: the store and the registry stay consistent and the next run completes.</summary>
public sealed class FaultTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("forecasting-faults-").FullName;

    [Fact]
    public async Task KilledDuringIngestLeavesAllOrNothingAndTheNextIngestCompletes()
    {
        var samples = await CliProcess.RunAsync(_dir, null, "samples", "--weeks", "16", "--extra-tenants", "60", "--out", "big.csv");
        Assert.Equal(0, samples.ExitCode);
        var rows = File.ReadLines(Path.Combine(_dir, "big.csv")).LongCount() - 1;

        await KillAfterAsync(TimeSpan.FromSeconds(2.5), "ingest", "big.csv", "--db", "u.db");
        var afterKill = await StoredRowsAsync();
        Assert.True(afterKill == 0 || afterKill == rows, $"{afterKill} of {rows} rows after the kill: a partial write");

        var again = await CliProcess.RunAsync(_dir, null, "ingest", "big.csv", "--db", "u.db");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(rows, await StoredRowsAsync());
    }

    [Fact]
    public async Task KilledDuringTrainingLeavesTheRegistryAndChampionAsTheyWere()
    {
        var samples = await CliProcess.RunAsync(_dir, null, "samples", "--weeks", "8", "--out", "s.csv");
        var ingest = await CliProcess.RunAsync(_dir, null, "ingest", "s.csv");
        var first = await CliProcess.RunAsync(_dir, null, "train", "--folds", "1", "--horizon", "24");
        Assert.Equal((0, 0, 0), (samples.ExitCode, ingest.ExitCode, first.ExitCode));
        var champion = File.ReadAllText(Path.Combine(_dir, "models", "global-tokens", "current.json"));

        // Long enough to be inside the backtest or the model write, short of the end.
        await KillAfterAsync(TimeSpan.FromSeconds(4), "train");

        var versions = Directory.GetDirectories(Path.Combine(_dir, "models", "global-tokens"), "v*");
        Assert.All(versions, v => Assert.True(File.Exists(Path.Combine(v, "manifest.json")), $"{v} has no manifest: a half-written version"));
        Assert.Equal(champion, File.ReadAllText(Path.Combine(_dir, "models", "global-tokens", "current.json")));

        var next = await CliProcess.RunAsync(_dir, null, "train", "--folds", "1", "--horizon", "24");
        Assert.Equal(0, next.ExitCode);
        using var pointer = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "models", "global-tokens", "current.json")));
        var current = pointer.RootElement.GetProperty("version").GetString()!;
        Assert.True(File.Exists(Path.Combine(_dir, "models", "global-tokens", current, "manifest.json")));
        var forecast = await CliProcess.RunAsync(_dir, null, "forecast", "--horizon", "24");
        Assert.Equal(0, forecast.ExitCode);
    }

    [Fact]
    public async Task ASecondTrainingWhileOneRunsIsRefusedClearly()
    {
        await CliProcess.RunAsync(_dir, null, "samples", "--weeks", "6", "--out", "s.csv");
        await CliProcess.RunAsync(_dir, null, "ingest", "s.csv");
        var lockPath = Path.Combine(_dir, "models", "global-tokens", ".training.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);

        CliProcess.Result refused;
        using (new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            refused = await CliProcess.RunAsync(_dir, null, "train", "--folds", "1", "--horizon", "24");
        }

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("another training of global-tokens is running", refused.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "models", "global-tokens", "v0001")));
        var after = await CliProcess.RunAsync(_dir, null, "train", "--folds", "1", "--horizon", "24");
        Assert.Equal(0, after.ExitCode);
    }

    [Fact]
    public async Task TheServiceRetrainWaitsForATrainingThatHoldsTheLockThenRuns()
    {
        await CliProcess.RunAsync(_dir, null, "samples", "--weeks", "6", "--out", "s.csv");
        var ingest = await CliProcess.RunAsync(_dir, null, "ingest", "s.csv", "--db", "u.db");
        Assert.Equal(0, ingest.ExitCode);
        var models = Path.Combine(_dir, "models", "global-tokens");
        Directory.CreateDirectory(models);
        var never = new Dictionary<string, string>
        {
            ["Forecasting__Schedule__RefreshCron"] = "0 0 3 1 1 ? 2099",
            ["Forecasting__Schedule__RetrainCron"] = "0 0 3 1 1 ? 2099",
        };
        using var node = ServeNode.Start(_dir, "u.db", never);
        await node.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient();

        // A CLI training holds the lock (the same OS file lock `train` takes) while the service is asked to retrain.
        using (new FileStream(Path.Combine(models, ".training.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, (await http.PostAsync(node.Url + "/api/v1/retrain", null)).StatusCode);
            await Task.Delay(TimeSpan.FromSeconds(4));
            var waiting = await node.RunsAsync("in memory");
            Assert.Equal("running", Assert.Single(waiting, r => r.Job == "retrain").Outcome);
            Assert.Empty(Directory.GetDirectories(models, "v*"));
        }

        var runs = await node.WaitForRunsAsync(runs => runs.Single(r => r.Job == "retrain").Outcome != "running", "the retrain to finish", "in memory", TimeSpan.FromMinutes(3));
        var retrain = runs.Single(r => r.Job == "retrain");
        Assert.True(retrain.Outcome == "succeeded", $"{retrain.Outcome}: {retrain.Detail}");
        Assert.True(File.Exists(Path.Combine(models, "v0001", "manifest.json")));
    }

    [Fact]
    public async Task ConcurrentIngestOfOverlappingFilesEndsAsASerialRunWould()
    {
        await CliProcess.RunAsync(_dir, null, "samples", "--weeks", "12", "--extra-tenants", "8", "--out", "all.csv");
        var lines = File.ReadAllLines(Path.Combine(_dir, "all.csv"));
        var header = lines[0];
        var body = lines[1..];
        // Two files that share the middle third of the rows.
        File.WriteAllLines(Path.Combine(_dir, "a.csv"), [header, .. body[..(2 * body.Length / 3)]]);
        File.WriteAllLines(Path.Combine(_dir, "b.csv"), [header, .. body[(body.Length / 3)..]]);

        var both = await Task.WhenAll(
            CliProcess.RunAsync(_dir, null, "ingest", "a.csv", "--db", "c.db"),
            CliProcess.RunAsync(_dir, null, "ingest", "b.csv", "--db", "c.db"));
        await CliProcess.RunAsync(_dir, null, "ingest", "all.csv", "--db", "serial.db");
        var concurrent = await CliProcess.RunAsync(_dir, null, "export", "--db", "c.db", "--out", "c.csv");
        var serial = await CliProcess.RunAsync(_dir, null, "export", "--db", "serial.db", "--out", "serial.csv");

        Assert.All(both, r => Assert.Equal(0, r.ExitCode));
        Assert.Equal((0, 0), (concurrent.ExitCode, serial.ExitCode));
        Assert.Equal(File.ReadAllLines(Path.Combine(_dir, "serial.csv")), File.ReadAllLines(Path.Combine(_dir, "c.csv")));
    }

    [Theory]
    [InlineData("while fetching")]
    [InlineData("after the last page")]
    public async Task KilledDuringCollectLeavesAllOrNothingAndTheNextCollectCompletes(string when)
    {
        // 8 weeks × 20 series from a slow relay: 8 weekly requests of about 0.4 s each.
        var rows = Rows.Grid(24 * 7 * 8, ["gpt-4.1", "deepseek-v3.2"], [.. Enumerable.Range(0, 10).Select(i => $"p{i}")]);
        await using var relay = await FakeUsageServer.StartAsync(rows);
        var environment = new Dictionary<string, string> { ["RELAY_KEY"] = FakeUsageServer.Key };
        string[] collect = ["collect", "--source", "relay", "--base-url", relay.BaseUrl.ToString(), "--api-key-env", "RELAY_KEY", "--db", "u.db",
            "--from", UtcHour.Format(Rows.T0), "--to", UtcHour.Format(Rows.T0.AddDays(56))];
        // The first week is stored before: the kill must not touch it either.
        var first = await CliProcess.RunAsync(_dir, environment, [.. collect[..^1], UtcHour.Format(Rows.T0.AddDays(7))]);
        Assert.True(first.ExitCode == 0, first.All);
        var firstWeek = rows.Count / 8;
        Assert.Equal(firstWeek, await StoredRowsAsync());

        var kill = new TaskCompletionSource();
        relay.BeforeAnswer = async request =>
        {
            await Task.Delay(400);
            // Request 1 was the first collect's single week; the full window is requests 2 to 9.
            if ((when == "while fetching" && request == 5) || (when == "after the last page" && request == 9))
            {
                _ = Task.Delay(when == "while fetching" ? 0 : 60).ContinueWith(_ => kill.TrySetResult(), TaskScheduler.Default);
            }
        };
        await KillWhenAsync(kill.Task, environment, collect);

        var afterKill = await StoredRowsAsync();
        Assert.True(afterKill == firstWeek || afterKill == rows.Count, $"{afterKill} rows after the kill: neither the first week ({firstWeek}) nor all ({rows.Count})");

        relay.BeforeAnswer = null;
        var again = await CliProcess.RunAsync(_dir, environment, collect);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(rows.Count, await StoredRowsAsync());
        var export = await CliProcess.RunAsync(_dir, null, "export", "--db", "u.db", "--out", "u.csv");
        Assert.Equal(0, export.ExitCode);
        var exported = File.ReadLines(Path.Combine(_dir, "u.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(rows.Count, exported.Select(f => (f[0], f[1], f[2])).Distinct().Count());
    }

    [Fact]
    public async Task KilledDuringReportLeavesTheLastCompleteReportAndTheNextReportCompletes()
    {
        var demo = await CliProcess.RunAsync(_dir, null, "demo", "--out", "out");
        Assert.Equal(0, demo.ExitCode);
        var report = Path.Combine(_dir, "out", "report");
        var before = File.GetLastWriteTimeUtc(Path.Combine(report, "report.html"));

        // Killed while the charts are drawn, then once the Markdown is written: both inside the staging folder.
        var staged = new Func<string, bool>[]
        {
            _ => Directory.GetDirectories(Path.Combine(_dir, "out"), "report.tmp-*").Any(d => Directory.Exists(Path.Combine(d, "charts"))),
            _ => Directory.GetDirectories(Path.Combine(_dir, "out"), "report.tmp-*").Any(d => File.Exists(Path.Combine(d, "report.md"))),
        };
        var interrupted = 0;
        foreach (var reached in staged)
        {
            // The later point is a short window: on a loaded machine the write may finish before the kill lands.
            await KillWhenAsync(PollAsync(() => reached("")), new Dictionary<string, string>(), mustBeRunning: false, "report", "--out", report);
            if (Directory.Exists(report))
            {
                // The last report or the new one, never a mix or a stub.
                AssertCompleteReport(report);
            }
            else
            {
                // Killed between the two renames: the replaced report waits beside it, and the next write puts it back.
                Assert.NotEmpty(Directory.GetDirectories(Path.Combine(_dir, "out"), "report.old-*"));
            }

            interrupted += Directory.GetDirectories(Path.Combine(_dir, "out"), "report.tmp-*").Length > 0 ? 1 : 0;
        }

        Assert.True(interrupted > 0, "no kill landed inside the write");
        var next = await CliProcess.RunAsync(_dir, null, "report", "--out", report);
        Assert.Equal(0, next.ExitCode);
        AssertCompleteReport(report);
        Assert.True(File.GetLastWriteTimeUtc(Path.Combine(report, "report.html")) > before, "the report was not written again");
        // The leftovers of the killed writes (staging and replaced folders) are cleared by the next write.
        Assert.Equal(["report"], Directory.GetDirectories(Path.Combine(_dir, "out")).Select(d => Path.GetFileName(d)).Where(n => n.StartsWith("report", StringComparison.Ordinal)).ToArray());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void AssertCompleteReport(string folder)
    {
        var html = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.EndsWith("</html>", html.TrimEnd(), StringComparison.Ordinal);
        Assert.True(File.ReadAllText(Path.Combine(folder, "report.md")).Length > 200);
        var charts = Directory.GetFiles(Path.Combine(folder, "charts"), "*.png");
        Assert.NotEmpty(charts);
        Assert.All(charts, png =>
        {
            var bytes = File.ReadAllBytes(png);
            // PNG signature first, IEND chunk last: the file was written to the end.
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
            Assert.Equal("IEND"u8.ToArray(), bytes[^8..^4]);
        });
    }

    /// <summary>Completes when the condition holds, or after a minute (the caller then finds the process ended).</summary>
    private static async Task PollAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1);
        }
    }

    private Task KillWhenAsync(Task signal, IDictionary<string, string> environment, params string[] args) => KillWhenAsync(signal, environment, mustBeRunning: true, args);

    /// <summary>Runs the CLI and SIGKILLs it (with its children) when the signal completes.</summary>
    private async Task KillWhenAsync(Task signal, IDictionary<string, string> environment, bool mustBeRunning, params string[] args)
    {
        using var process = CliProcess.Start(_dir, environment, args);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Task.WhenAny(signal, process.WaitForExitAsync());
        Assert.False(mustBeRunning && process.HasExited, $"the process ended (exit {(process.HasExited ? process.ExitCode : 0)}) before the kill");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    private async Task<long> StoredRowsAsync()
    {
        var status = await CliProcess.RunAsync(_dir, null, "status", "--db", "u.db");
        Assert.Equal(0, status.ExitCode);
        var match = System.Text.RegularExpressions.Regex.Match(status.Out, @"hourly rows\s*│\s*([\d,]+)");
        return long.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>SIGKILL after a delay (no chance to clean up, as when a node dies); the process may have finished by then.</summary>
    private Task KillAfterAsync(TimeSpan delay, params string[] args) => KillWhenAsync(Task.Delay(delay), new Dictionary<string, string>(), mustBeRunning: false, args);
}
