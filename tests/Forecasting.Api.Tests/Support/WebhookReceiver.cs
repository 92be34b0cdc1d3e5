using System.Net;
using System.Net.Sockets;

namespace Forecasting.Api.Tests.Support;

/// <summary>A webhook receiver on 127.0.0.1 (HttpListener) recording every request; the first <c>failFirst</c> answer 500.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(string Body, string? Secret, int Status)> _requests = [];
    private int _failFirst;

    public WebhookReceiver(int failFirst = 0, string secretHeader = "Authorization")
    {
        _failFirst = failFirst;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                var status = Interlocked.Decrement(ref _failFirst) >= 0 ? 500 : 200;
                lock (_requests)
                {
                    _requests.Add((body, context.Request.Headers[secretHeader], status));
                }

                context.Response.StatusCode = status;
                context.Response.Close();
            }
        });
    }

    public string Url { get; }

    public IReadOnlyList<(string Body, string? Secret, int Status)> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public void Dispose() => _listener.Close();
}
