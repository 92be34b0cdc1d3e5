using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Api.OpenApi;

internal static class OpenApiServiceCollectionExtensions
{
    /// <summary>
    /// <c>/openapi/v1.json</c>, written for client generators: the API key schemes with 401 on the routes that need
    /// the key, typed query numbers, and the error answers each route really gives.
    /// </summary>
    public static IServiceCollection AddForecastingOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<ApiKeyDocumentTransformer>();
            options.AddOperationTransformer<ApiKeyOperationTransformer>();
            options.AddOperationTransformer<QueryNumbersOperationTransformer>();
        });
}
