using Forecasting.Api.Contracts;
using Forecasting.Api.Services;
using Forecasting.Application;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Endpoints;

/// <summary><c>GET /api/v1/models</c>.</summary>
internal static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelApi(this RouteGroupBuilder api)
    {
        api.MapGet("models", GetModels)
            .WithName("ListModels")
            .WithSummary("Registered model versions with backtest scores, the promotion decision and the champion");
        return api;
    }

    private static Ok<ModelsResponse> GetModels(ModelVersionsQuery query, IOptions<ApiOptions> options)
    {
        var listed = query.Get(options.Value.ParsedTarget);
        var champion = listed.Champion;
        var versions = listed.Versions
            .Select(m => new ModelVersionInfo(
                m.Version,
                listed.IsChampion(m),
                m.TrainedAt,
                new DataWindowInfo(m.DataWindow.Start, m.DataWindow.End, m.DataWindow.Series, m.DataWindow.Hours),
                m.FeatureSet,
                m.Backtest.Horizon,
                m.Backtest.Folds,
                m.Backtest.Served is { } served ? ScoreInfo.From(served) : null,
                [.. m.Backtest.Scores.Select(ScoreInfo.From)],
                m.Decision))
            .ToList();
        return TypedResults.Ok(new ModelsResponse(listed.Name, champion is null ? null : new ChampionInfo(champion.Version, champion.Since, champion.Reason), versions));
    }
}
