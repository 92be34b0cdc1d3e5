using Forecasting.Core;
using Forecasting.Core.Planning;
using Forecasting.Data.Collect;
using Microsoft.Extensions.Logging;

namespace Forecasting.Application;

/// <summary>
/// Pull a window of hourly usage from the relay or the OpenAI usage API and store it (all of it or
/// nothing; idempotent). Used by the CLI's <c>collect</c> and the hourly refresh. Configured sources
/// (<see cref="PlanningSettings.Sources"/>) are collected one after the other, each stored on its own,
/// so one failing source never stops the others.
/// </summary>
public sealed class CollectUseCase(IWorkspaceSource workspaces, SourceStatus? status = null)
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
            throw new InvalidInputException("the source address (--base-url, Forecasting:Schedule:CollectBaseUrl, sources[].base_url) is not an http(s) address such as https://relay.example.com/v1");
        }

        var workspace = await workspaces.GetAsync(cancellationToken);
        var options = new CollectorOptions
        {
            MaxRetries = request.MaxRetries,
            AttemptTimeout = request.AttemptTimeout,
            DefaultProject = request.Project,
            Aliases = workspace.Settings.Aliases,
            RelayDateOnly = request.DateOnly,
            RelayGet = request.UseGet,
            AssumeUtc = request.AssumeUtc,
        };
        var logger = workspace.Loggers.CreateLogger("Forecasting.Collect");
        var client = new SourceHttpClient(http, key, options, logger);
        var source = UsageCollector.CreateSource(request.Source, address, client, options);
        return await new UsageCollector(workspace.Store, logger).CollectAsync(source, client, request.From, request.To, cancellationToken);
    }

    /// <summary>The configured sources named (all of them when <paramref name="names"/> is null), in turn.</summary>
    public async Task<IReadOnlyList<SourceResult>> RunSourcesAsync(
        IReadOnlyCollection<string>? names, DateTimeOffset from, DateTimeOffset to, HttpClient http, CancellationToken cancellationToken,
        Func<CollectRequest, CollectRequest>? adjust = null)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        var configured = workspace.Settings.Sources;
        if (configured.Count == 0)
        {
            throw new InvalidInputException("no sources are configured; add a \"sources\" list to the settings file (config/forecasting.json)");
        }

        var unknown = (names ?? []).Where(n => !configured.Any(s => string.Equals(s.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidInputException($"no configured source is named {string.Join(", ", unknown.Select(n => $"'{n}'"))}; configured: {string.Join(", ", configured.Select(s => s.Name))}");
        }

        var chosen = names is null ? configured : [.. configured.Where(s => names.Contains(s.Name, StringComparer.OrdinalIgnoreCase))];
        var logger = workspace.Loggers.CreateLogger("Forecasting.Collect");
        var results = new List<SourceResult>();
        foreach (var source in chosen)
        {
            var request = CollectRequest.For(source, from, to);
            request = adjust?.Invoke(request) ?? request;
            SourceResult result;
            try
            {
                result = new SourceResult(source.Name, await RunAsync(request, http, cancellationToken), null);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Retries happened inside; what is left is this source's failure, not the others'.
                result = new SourceResult(source.Name, null, e.Message);
                logger.LogWarning("source {Source} failed; the other sources are collected: {Reason}", source.Name, e.Message);
            }

            status?.Record(result, workspace.Time.GetUtcNow());
            results.Add(result);
        }

        return results;
    }
}
