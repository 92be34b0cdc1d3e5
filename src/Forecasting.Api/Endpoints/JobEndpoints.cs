using Forecasting.Api.Contracts;
using Forecasting.Api.Scheduling;
using Forecasting.Core.Series;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quartz;

namespace Forecasting.Api.Endpoints;

/// <summary><c>POST /api/v1/retrain</c>, <c>GET /api/v1/jobs</c> and <c>GET /api/v1/jobs/{id}</c>.</summary>
internal static class JobEndpoints
{
    /// <summary>Longest reason kept with a retrain request (it goes to the logs and the job history).</summary>
    public const int MaxReasonLength = 500;

    public static RouteGroupBuilder MapJobApi(this RouteGroupBuilder api)
    {
        api.MapPost("retrain", RetrainAsync)
            .WithName("RequestRetrain")
            .WithSummary("Queues a retrain, or answers with the one already queued or running; 202 with its id and state, 503 when the scheduler is off")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("jobs", ListAsync)
            .WithName("ListJobs")
            .WithSummary("The queued retrain and this instance's recent job runs with state, timings, outcome and model version")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("jobs/{id}", GetAsync)
            .WithName("GetJob")
            .WithSummary("One job run or queued retrain by id")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    private static async Task<Results<Accepted<RetrainAccepted>, ProblemHttpResult>> RetrainAsync(
        RetrainBody? body,
        IServiceProvider services,
        IOptions<ApiOptions> options,
        CancellationToken cancellationToken)
    {
        if (body?.Reason is { Length: > MaxReasonLength } reason)
        {
            return Problems.BadRequest($"reason is {reason.Length} characters long; at most {MaxReasonLength} are kept");
        }

        if (services.GetService<RetrainRequests>() is not { } requests)
        {
            return SchedulerOff();
        }

        var target = options.Value.ParsedTarget.Name();
        var ticket = await requests.RequestAsync(target, body?.Reason, cancellationToken);
        return TypedResults.Accepted($"{ForecastingApiEndpointRouteBuilderExtensions.Prefix}/jobs/{ticket.Id}", new RetrainAccepted(ticket.Id, target, ticket.RequestedAt, ticket.State, ticket.Existing));
    }

    private static async Task<Results<Ok<JobsResponse>, ProblemHttpResult>> ListAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<RetrainRequests>() is not { } requests || services.GetService<ISchedulerFactory>() is not { } factory)
        {
            return SchedulerOff();
        }

        var scheduler = await factory.GetScheduler(cancellationToken);
        return TypedResults.Ok(new JobsResponse(scheduler.SchedulerInstanceId, await JobsAsync(scheduler, requests, services.GetRequiredService<JobHistory>(), cancellationToken)));
    }

    private static async Task<Results<Ok<JobInfo>, ProblemHttpResult>> GetAsync(string id, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<RetrainRequests>() is not { } requests || services.GetService<ISchedulerFactory>() is not { } factory)
        {
            return SchedulerOff();
        }

        var jobs = await JobsAsync(await factory.GetScheduler(cancellationToken), requests, services.GetRequiredService<JobHistory>(), cancellationToken);
        return jobs.FirstOrDefault(j => j.Id == id) is { } job
            ? TypedResults.Ok(job)
            : Problems.NotFound("no queued job and no recent run of this instance has this id (runs on other instances show on theirs)");
    }

    private static async Task<List<JobInfo>> JobsAsync(IScheduler scheduler, RetrainRequests requests, JobHistory history, CancellationToken cancellationToken)
    {
        var runs = history.Runs;
        var jobs = new List<JobInfo>();
        if (await requests.ExistingAsync(scheduler, cancellationToken) is { State: JobStates.Queued } queued)
        {
            jobs.Add(new JobInfo(queued.Id, RetrainJob.Key.Name, JobStates.Queued, null, queued.Reason, queued.RequestedAt, null, null, null, null, null, null, false));
        }

        jobs.AddRange(runs.Reverse().Select(r => new JobInfo(
            r.Id ?? "", r.Job, r.Outcome, r.Instance, r.Reason, r.RequestedAt, r.ScheduledFor, r.StartedAt, r.FinishedAt, r.DurationSeconds, r.Detail, r.ModelVersion, r.Recovering)));
        return jobs;
    }

    private static ProblemHttpResult SchedulerOff() => TypedResults.Problem(
        "the job scheduler is disabled on this instance (Forecasting:Schedule:Enabled=false): nothing would run a retrain; run 'forecasting train' or enable the scheduler",
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Scheduler disabled");
}
