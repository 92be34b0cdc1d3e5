using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Security;

/// <summary>
/// When <see cref="ApiOptions.ApiKey"/> is set, /api requests must carry it in <c>X-API-KEY</c> or
/// <c>Authorization: Bearer</c>; otherwise 401 ProblemDetails. Runs after routing so that it sees the
/// endpoint's metadata, and also guards any /api path that matched no endpoint (no probing for routes).
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ApiOptions> options, IProblemDetailsService problems, ILogger<ApiKeyMiddleware> logger)
{
    public const string HeaderName = "X-API-KEY";

    private readonly byte[]? _key = string.IsNullOrEmpty(options.Value.ApiKey) ? null : Encoding.UTF8.GetBytes(options.Value.ApiKey);

    public async Task InvokeAsync(HttpContext context)
    {
        if (_key is null || !Protected(context) || Presented(context.Request) is { } presented && Matches(presented))
        {
            await next(context);
            return;
        }

        ApiLog.ApiKeyRejected(logger, context.Request.Method, context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = $"this route needs the API key in the {HeaderName} header or as Authorization: Bearer <key>",
            },
        });
    }

    private static bool Protected(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ApiKeyRequired>() is not null
        || context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && header.Count == 1 && !string.IsNullOrEmpty(header[0]))
        {
            return header[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        return authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? authorization[Bearer.Length..].Trim() : null;
    }

    private bool Matches(string presented) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _key);
}
