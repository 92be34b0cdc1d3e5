using Forecasting.Core.Series;
using Forecasting.ML.Registry;

namespace Forecasting.Application;

/// <summary>
/// The registered versions of a target with its champion: the one listing behind <c>models list</c>,
/// <c>GET /api/v1/models</c> and the report's version table. Reads the registry only (no store is opened).
/// </summary>
public sealed class ModelVersionsQuery(ModelRegistry registry)
{
    public ModelVersions Get(ForecastTarget target)
    {
        var name = ModelRegistry.NameOf(target);
        return new ModelVersions(name, registry.Root, registry.Champion(name), registry.List(name));
    }
}
