using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Forecasting.Api.Tests.Support;

/// <summary>The real app (<see cref="ForecastingApi.CreateApp"/>) on Kestrel at 127.0.0.1:0, with a fake clock.</summary>
public sealed class ApiHost : IAsyncDisposable
{
    private ApiHost(WebApplication app, FakeTimeProvider clock)
    {
        App = app;
        Clock = clock;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public WebApplication App { get; }

    public FakeTimeProvider Clock { get; }

    public HttpClient Client { get; }

    public static async Task<ApiHost> StartAsync(SeededService seeded, DateTimeOffset now, string? apiKey = null, string? db = null, string? reports = null, bool scheduler = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var clock = new FakeTimeProvider(now);
        var app = ForecastingApi.CreateApp([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Forecasting:Db"] = db ?? seeded.Db,
                ["Forecasting:Models"] = seeded.Models,
                ["Forecasting:Reports"] = reports ?? seeded.Reports,
                // The shared seeded store must not be retrained under other tests' feet; scheduler tests ask for it.
                ["Forecasting:Schedule:Enabled"] = scheduler ? "true" : "false",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<TimeProvider>(clock);
            // Set explicitly either way, so a FORECASTING_API_KEY in the test environment changes nothing.
            builder.Services.PostConfigure<ApiOptions>(o => o.ApiKey = apiKey);
        });
        await app.StartAsync();
        return new ApiHost(app, clock);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
