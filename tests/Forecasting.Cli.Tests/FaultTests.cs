using System.Diagnostics;
using System.Text.Json;

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

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<long> StoredRowsAsync()
    {
        var status = await CliProcess.RunAsync(_dir, null, "status", "--db", "u.db");
        Assert.Equal(0, status.ExitCode);
        var match = System.Text.RegularExpressions.Regex.Match(status.Out, @"hourly rows\s*│\s*([\d,]+)");
        return long.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task KillAfterAsync(TimeSpan delay, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "forecasting.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Task.Delay(delay);
        // SIGKILL: no chance to clean up, as when a node dies.
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
}
