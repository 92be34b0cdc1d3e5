namespace Forecasting.Api.Notifications;

/// <summary>Webhook notifications, under <c>Forecasting:Notify</c>. No <see cref="WebhookUrl"/>: no notices.</summary>
public sealed class NotifyOptions
{
    public const string Section = "Forecasting:Notify";

    /// <summary>Where notices are POSTed (http or https).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary><c>json</c> (a generic document) or <c>slack</c> (<c>{"text": ...}</c>, for Slack's incoming webhooks).</summary>
    public string Format { get; set; } = "json";

    /// <summary>The name of an environment variable whose value is sent in <see cref="SecretHeaderName"/>; the value is never logged.</summary>
    public string? SecretHeaderEnv { get; set; }

    public string SecretHeaderName { get; set; } = "Authorization";

    /// <summary>Hours in a row a series' actual usage must be outside its forecast's p10..p90 band to be an anomaly.</summary>
    public int AnomalyHours { get; set; } = 3;

    /// <summary>Tries per notice on 5xx, 408, 429, timeouts and connection failures (the delay doubles from <see cref="RetryDelay"/>).</summary>
    public int MaxAttempts { get; set; } = 4;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
