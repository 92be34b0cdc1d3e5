using Forecasting.Core;
using Forecasting.Data.Collect;
using Microsoft.Extensions.Logging;

namespace Forecasting.Application;

/// <summary>
/// Pull a window of hourly usage from the relay or the OpenAI usage API and store it (all of it or
/// nothing; idempotent). Used by the CLI's <c>collect</c> and the hourly refresh.
/// </summary>
public sealed class CollectUseCase(Workspace workspace)
{
    public async Task<CollectOutcome> RunAsync(CollectRequest request, HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = Environment.GetEnvironmentVariable(request.ApiKeyVariable);
        if (string.IsNullOrEmpty(key))
        {
            throw new InvalidInputException($"environment variable {request.ApiKeyVariable} is not set; put the source's API key there");
        }

        if (!Uri.TryCreate(request.BaseUrl, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            // The value is not repeated: it may hold a password.
            throw new InvalidInputException("the source address (--base-url, Forecasting:Schedule:CollectBaseUrl) is not an http(s) address such as https://relay.example.com/v1");
        }

        var options = new CollectorOptions { MaxRetries = request.MaxRetries, AttemptTimeout = request.AttemptTimeout };
        var logger = workspace.Loggers.CreateLogger("Forecasting.Collect");
        var client = new SourceHttpClient(http, key, options, logger);
        var source = UsageCollector.CreateSource(request.Source, address, client, options);
        return await new UsageCollector(workspace.Store, logger).CollectAsync(source, client, request.From, request.To, cancellationToken);
    }
}
