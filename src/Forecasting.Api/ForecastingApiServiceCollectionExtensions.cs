using System.Text.Json;
using System.Text.Json.Serialization;
using Forecasting.Api.Monitoring;
using Forecasting.Api.Notifications;
using Forecasting.Api.OpenApi;
using Forecasting.Api.Scheduling;
using Forecasting.Api.Services;
using Forecasting.Application;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;
using Forecasting.ML.Registry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Forecasting.Api;

public static class ForecastingApiServiceCollectionExtensions
{
    /// <summary>Everything the REST API needs: options, store, registry, planning settings, retrain queue, metrics, OpenAPI, ProblemDetails.</summary>
    public static IServiceCollection AddForecastingApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ApiOptions>()
            .BindConfiguration(ApiOptions.Section)
            // The key comes from the environment only, whatever a settings file says.
            .Configure(o => o.ApiKey = Environment.GetEnvironmentVariable(ApiOptions.ApiKeyVariable))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Db), "Forecasting:Db is required")
            .Validate(o => o.StaleAfterMinutes > 0, "Forecasting:StaleAfterMinutes must be positive")
            .Validate(o => o.DataStaleAfterMinutes >= 0, "Forecasting:DataStaleAfterMinutes must be 0 (off) or positive")
            .Validate(o => o.StaleStatusCode is null or (>= 400 and <= 599), "Forecasting:StaleStatusCode must be an HTTP error status (400-599), e.g. 503")
            .Validate(o => o.PerReplicaTokensPerHour > 0, "Forecasting:PerReplicaTokensPerHour must be positive")
            .Validate(o => ForecastTargets.TryParse(o.Target, out _), "Forecasting:Target must be tokens, requests or cost")
            .Validate(o => o.Config is null || File.Exists(o.Config), "Forecasting:Config names a settings file that does not exist")
            .ValidateOnStart();

        services.AddOptions<NotifyOptions>()
            .BindConfiguration(NotifyOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.WebhookUrl) || (Uri.TryCreate(o.WebhookUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"), "Forecasting:Notify:WebhookUrl must be an absolute http or https URL")
            .Validate(o => o.Format is "json" or "slack", "Forecasting:Notify:Format must be json or slack")
            .Validate(o => o.AnomalyHours is >= 1 and <= Horizon.HoursPerWeek, $"Forecasting:Notify:AnomalyHours must be 1 to {Horizon.HoursPerWeek}")
            .Validate(o => o.MaxAttempts is >= 1 and <= 10, "Forecasting:Notify:MaxAttempts must be 1 to 10")
            .Validate(o => o.Timeout > TimeSpan.Zero && o.RetryDelay >= TimeSpan.Zero, "Forecasting:Notify:Timeout must be positive and RetryDelay not negative")
            .ValidateOnStart();
        // A webhook that redirects is not followed: the notice (and its secret header) goes where it was configured to, or nowhere.
        services.AddHttpClient(Notifier.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<Notifier>();
        services.AddSingleton<NoticeJobListener>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddForecastingScheduler(configuration);
        services.AddSingleton<StoreConnection>();
        services.AddSingleton<ForecastReader>();
        services.AddSingleton<AutoscaleCache>();
        services.AddSingleton<DataFreshness>();
        services.AddSingleton<PlanReader>();
        services.AddSingleton<WorkspaceProvider>();
        services.AddSingleton<IWorkspaceSource>(sp => sp.GetRequiredService<WorkspaceProvider>());
        services.AddSingleton<WorkspaceFactory>();
        services.AddForecastingApplication();
        services.TryAddSingleton<SourceStatus>();
        services.AddSingleton<ForecastGauges>();
        services.AddSingleton(sp => new ModelRegistry(sp.GetRequiredService<IOptions<ApiOptions>>().Value.Models));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ApiOptions>>().Value.Config is { } path ? PlanningSettings.Load(path) : new PlanningSettings());

        services.AddProblemDetails();
        services.AddForecastingOpenApi();
        services.ConfigureHttpJsonOptions(o =>
        {
            // The autoscale contract is snake_case; every route answers in the same style.
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            // Numbers are JSON numbers only (no "NaN", no numeric strings), so the OpenAPI document types them as number
            // and generated clients parse them; contracts answer a non-finite value as null (Contracts.FiniteNumber).
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        return services;
    }
}
