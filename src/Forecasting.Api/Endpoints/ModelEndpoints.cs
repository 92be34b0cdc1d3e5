using Forecasting.Api.Contracts;
using Forecasting.Api.Services;
using Forecasting.ML.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Endpoints;

/// <summary><c>GET /api/v1/models</c> and <c>POST /api/v1/retrain</c>.</summary>
internal static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelApi(this RouteGroupBuilder api)
    {
        api.MapGet("models", GetModels)
            .WithName("ListModels")
            .WithSummary("Registered model versions with backtest scores, the promotion decision and the champion");
        api.MapPost("retrain", RetrainAsync)
            .WithName("RequestRetrain")
            .WithSummary("Records a retrain request for the scheduler; answers at once with 202");
        return api;
    }

    private static Ok<ModelsResponse> GetModels(ModelRegistry registry, IOptions<ApiOptions> options)
    {
        var name = ModelRegistry.NameOf(options.Value.ParsedTarget);
        var champion = registry.Champion(name);
        var versions = registry.List(name)
            .Select(m => new ModelVersionInfo(
                m.Version,
                m.Version == champion?.Version,
                m.TrainedAt,
                new DataWindowInfo(m.DataWindow.Start, m.DataWindow.End, m.DataWindow.Series, m.DataWindow.Hours),
                m.FeatureSet,
                m.Backtest.Horizon,
                m.Backtest.Folds,
                m.Backtest.Served is { } served ? ScoreInfo.From(served) : null,
                [.. m.Backtest.Scores.Select(ScoreInfo.From)],
                m.Decision))
            .ToList();
        return TypedResults.Ok(new ModelsResponse(name, champion is null ? null : new ChampionInfo(champion.Version, champion.Since, champion.Reason), versions));
    }

    /// <summary>Longest reason kept with a retrain request (it goes to the logs and the job history).</summary>
    public const int MaxReasonLength = 500;

    private static async Task<Results<Accepted<RetrainAccepted>, ProblemHttpResult>> RetrainAsync(
        RetrainBody? body,
        IRetrainQueue queue,
        IOptions<ApiOptions> options,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (body?.Reason is { Length: > MaxReasonLength } reason)
        {
            return Problems.BadRequest($"reason is {reason.Length} characters long; at most {MaxReasonLength} are kept");
        }

        var request = new RetrainRequest(Guid.NewGuid(), options.Value.Target.ToLowerInvariant(), time.GetUtcNow(), body?.Reason);
        await queue.EnqueueAsync(request, cancellationToken);
        ApiLog.RetrainRequested(loggers.CreateLogger(typeof(ModelEndpoints).FullName!), request.Id, request.Target);
        return TypedResults.Accepted((string?)null, new RetrainAccepted(request.Id, request.Target, request.RequestedAt, "queued"));
    }
}
