using System.Diagnostics;
using Npgsql;
using Xunit;

namespace Forecasting.Testing;

/// <summary>
/// A PostgreSQL server of the test's own (initdb in a temp folder, listening on a Unix socket there), for
/// tests that stop and restart the server under running work, which the shared server of
/// <c>./test.sh</c> cannot take. As root, initdb and pg_ctl run as the <c>postgres</c> user.
/// Without PostgreSQL binaries the test is skipped, except under CI=true.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _folder;
    private readonly int _port;
    private bool _running;

    private PrivatePostgres(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        _port = port;
        // The Unix socket in the server's own folder, no TCP port: nothing else can take it between restarts.
        ConnectionString = $"Host={folder};Port={port};Username=postgres;Database=postgres;Timeout=5";
    }

    public string ConnectionString { get; }

    private static bool IsRoot => Environment.UserName == "root";

    private string Data => Path.Combine(_folder, "data");

    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).LastOrDefault()
            : null;
        if (bin is null)
        {
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException("CI=true but PostgreSQL is not installed under /usr/lib/postgresql (./test.sh installs it)");
            }

            Skip.If(true, "PostgreSQL binaries are not installed: run ./test.sh, which installs them");
        }

        var folder = Directory.CreateTempSubdirectory("forecasting-pg-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        }

        if (IsRoot)
        {
            await RunAsync("chown", ["postgres", folder]);
        }

        // The socket file is <folder>/.s.PGSQL.5432: the folder makes it unique, the port number is only its name.
        var server = new PrivatePostgres(bin!, folder, 5432);
        await server.RunAsPostgresAsync("initdb", ["-D", server.Data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"]);
        await server.StartAsync(CancellationToken.None);
        return server;
    }

    /// <summary>Starts the stopped server again on the same port and waits until it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RunAsPostgresAsync("pg_ctl", ["-D", Data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
            "-o", $"-p {_port} -k {_folder} -c listen_addresses='' -c fsync=off", "start"], cancellationToken);
        _running = true;
    }

    /// <summary>Stops the server the way an operator's restart does: fast shutdown, open sessions terminated.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await RunAsPostgresAsync("pg_ctl", ["-D", Data, "-m", "fast", "-w", "stop"], cancellationToken);
        _running = false;
    }

    /// <summary>One value from a query on a connection of its own (not pooled: pooled ones die with a restart).</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_running)
        {
            await StopAsync(CancellationToken.None);
        }

        Directory.Delete(_folder, recursive: true);
    }

    private Task RunAsPostgresAsync(string tool, string[] args, CancellationToken cancellationToken = default) =>
        IsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args], cancellationToken)
            : RunAsync(Path.Combine(_bin, tool), args, cancellationToken);

    private static async Task RunAsync(string file, string[] args, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
