namespace Forecasting.Api.Security;

/// <summary>Endpoint metadata: the endpoint needs the API key when one is configured.</summary>
internal sealed class ApiKeyRequired
{
    public static ApiKeyRequired Instance { get; } = new();
}
