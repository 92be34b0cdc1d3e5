using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Forecasting.Cli.Tests;

/// <summary>A real <c>forecasting serve</c> process on a free loopback port; killed (SIGKILL) on dispose if still running.</summary>
internal sealed class ServeNode : IDisposable
{
    private ServeNode(Process process, string url)
    {
        Process = process;
        Url = url;
    }

    public Process Process { get; }

    public string Url { get; }

    public static ServeNode Start(string folder, string db, IDictionary<string, string> environment, params string[] extra) => StartLogged(folder, db, environment, null, extra);

    /// <summary>
    /// Starts a node whose standard output and error lines are appended to <paramref name="log"/> (when given). A name of
    /// its own, not an overload of <see cref="Start"/>: a first extra argument must never be taken for the log file.
    /// </summary>
    public static ServeNode StartLogged(string folder, string db, IDictionary<string, string> environment, string? log, params string[] extra)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var settings = new Dictionary<string, string> { ["FORECASTING_API_KEY"] = "" };
        foreach (var (key, value) in environment)
        {
            settings[key] = value;
        }

        var process = CliProcess.Start(folder, settings, ["serve", "--urls", url, "--db", db, "--models", Path.Combine(folder, "models"), .. extra]);
        var gate = new Lock();
        void Write(string? line)
        {
            if (log is not null && line is not null)
            {
                lock (gate)
                {
                    File.AppendAllText(log, line + Environment.NewLine);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServeNode(process, url);
    }

    public async Task WaitHealthyAsync(TimeSpan? within = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync(Url + "/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{Url} did not become healthy");
    }

    /// <summary>The scheduler's recent job runs from <c>/health</c>, checking the job store is the clustered PostgreSQL one unless told otherwise.</summary>
    public async Task<List<Run>> RunsAsync(string jobStore = "postgresql, clustered")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var document = JsonDocument.Parse(await http.GetStringAsync(Url + "/health"));
        var scheduler = document.RootElement.GetProperty("scheduler");
        Assert.Equal(jobStore, scheduler.GetProperty("job_store").GetString());
        return [.. scheduler.GetProperty("recent_runs").EnumerateArray()
            .Select(r => new Run(
                r.GetProperty("job").GetString()!,
                r.GetProperty("scheduled_for").ValueKind == JsonValueKind.Null ? null : r.GetProperty("scheduled_for").GetDateTimeOffset(),
                r.GetProperty("outcome").GetString()!,
                r.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString() : null,
                r.TryGetProperty("finished_at", out var finished) && finished.ValueKind == JsonValueKind.String ? finished.GetDateTimeOffset() : null,
                r.TryGetProperty("recovering", out var recovering) && recovering.ValueKind == JsonValueKind.True)
            {
                Id = r.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null,
            })];
    }

    /// <summary>Polls the job runs until the condition holds (answers while /health is 503, as when the database is down, are skipped).</summary>
    public async Task<List<Run>> WaitForRunsAsync(Func<List<Run>, bool> condition, string what, string jobStore = "postgresql, clustered", TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromMinutes(4));
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var runs = await RunsAsync(jobStore);
                if (condition(runs))
                {
                    return runs;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // /health answers 503 while the database is down.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"timed out waiting for {what}");
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed record Run(string Job, DateTimeOffset? ScheduledFor, string Outcome, string? Detail, DateTimeOffset? FinishedAt, bool Recovering)
    {
        /// <summary>The run's id (a shard's: <c>&lt;retrain id&gt;/&lt;unit&gt;</c>).</summary>
        public string? Id { get; init; }
    }
}
