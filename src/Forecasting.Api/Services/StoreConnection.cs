using Forecasting.Data.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Services;

/// <summary>
/// The one usage store of the process, opened and migrated on first use (not at start, so the service
/// starts and reports an unreachable database on /health instead of crashing); a failed open is retried
/// on the next request.
/// </summary>
internal sealed class StoreConnection(IOptions<ApiOptions> options, ILoggerFactory loggers) : IAsyncDisposable, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IUsageStore? _store;

    public string Db => options.Value.Db;

    public async Task<IUsageStore> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _store) is { } open)
        {
            return open;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_store is null)
            {
                var store = await UsageStore.OpenAndMigrateAsync(options.Value.Db, $"{ApiOptions.Section}:{nameof(ApiOptions.Db)}", loggers.CreateLogger("Forecasting.Store"), cancellationToken);
                Volatile.Write(ref _store, store);
            }

            return _store!;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is { } store)
        {
            await store.DisposeAsync();
        }

        _gate.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
