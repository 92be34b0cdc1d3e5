using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Forecasting.Deploy.Tests.Support;

/// <summary>A long-running child process (serve, Prometheus) with its output kept for failure messages; killed with its children on dispose.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private bool _disposed;

    private ChildProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string file, IEnumerable<string> args, string workingDirectory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new ChildProcess(Process.Start(start)!);
    }

    /// <summary>The real CLI (forecasting.dll, built beside the tests) run to its end; fails the test with its output unless it exits 0. Paths in <paramref name="args"/> must be absolute.</summary>
    public static void Cli(params string[] args)
    {
        var (exit, output) = Tool.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "forecasting.dll"), .. args], TimeSpan.FromMinutes(5), ("FORECASTING_DB", ""), ("FORECASTING_API_KEY", ""), ("NO_COLOR", "1"));
        Assert.True(exit == 0, $"forecasting {string.Join(' ', args)} exited {exit}: {output}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
