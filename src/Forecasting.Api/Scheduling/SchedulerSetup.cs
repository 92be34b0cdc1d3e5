using Forecasting.Data.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Forecasting.Api.Scheduling;

/// <summary>
/// Quartz for the service: with PostgreSQL, the clustered ADO.NET job store in the same database (several
/// instances share the schedule; a retrain runs once; a stopped node's work is taken over); with SQLite,
/// the in-memory scheduler of the one instance.
/// </summary>
public static class SchedulerSetup
{
    public static IServiceCollection AddForecastingScheduler(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var schedule = configuration.GetSection(SchedulingOptions.Section).Get<SchedulingOptions>() ?? new SchedulingOptions();
        services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.Section)
            .Validate(o => CronExpression.TryParse(o.RefreshCron, out _), "Forecasting:Schedule:RefreshCron is not a valid Quartz cron expression")
            .Validate(o => CronExpression.TryParse(o.RetrainCron, out _), "Forecasting:Schedule:RetrainCron is not a valid Quartz cron expression")
            .ValidateOnStart();
        services.AddOptions<TrainingOptions>().BindConfiguration(TrainingOptions.Section)
            .Validate(o => o.ShardSize >= 0, "Forecasting:Training:ShardSize must be 0 (unsharded) or a positive number of series per shard")
            .ValidateOnStart();
        if (!schedule.Enabled)
        {
            return services;
        }

        // As the CLI's client: a redirect is never followed (a source answering with another host's address is refused).
        services.AddHttpClient("usage-source", c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<JobHistory>();
        services.AddSingleton<RetrainRequests>();
        var db = configuration[$"{ApiOptions.Section}:Db"] ?? new ApiOptions().Db;
        services.AddQuartz(q =>
        {
            Configure(q, db, schedule);
            if (configuration.GetSection(TrainingOptions.Section).Get<TrainingOptions>() is { ShardSize: > 0 })
            {
                // The sharded retrain waits (asleep) on one thread for its shards: two more run shards (or the refresh).
                q.UseDefaultThreadPool(3);
            }

            // RequestRecovery: a run in progress on a node that dies is run again by another node of the cluster.
            q.AddJob<RetrainJob>(j => j.WithIdentity(RetrainJob.Key).StoreDurably().RequestRecovery());
            // Shards of a sharded retrain: durable, and a shard in progress on a node that dies is run again elsewhere.
            q.AddJob<RetrainShardJob>(j => j.WithIdentity(RetrainShardJob.Key).StoreDurably().RequestRecovery());
            q.AddJob<RefreshJob>(j => j.WithIdentity(RefreshJob.Key).StoreDurably().RequestRecovery());
            // After downtime a missed hour or week fires once, not once per missed occurrence.
            q.AddTrigger(t => t.ForJob(RefreshJob.Key).WithIdentity("refresh-hourly", "forecasting")
                .WithSchedule(CronScheduleBuilder.Create(schedule.RefreshCron).InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            q.AddTrigger(t => t.ForJob(RetrainJob.Key).WithIdentity("retrain-weekly", "forecasting")
                .WithSchedule(CronScheduleBuilder.Create(schedule.RetrainCron).InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            q.AddJobListener<JobHistory>(sp => sp.GetRequiredService<JobHistory>(), [Matchers.AllJobs()]);
            q.AddJobListener<Notifications.NoticeJobListener>(sp => sp.GetRequiredService<Notifications.NoticeJobListener>(), [Matchers.AllJobs()]);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>The job store: shared by the service and the clustering tests.</summary>
    public static void Configure(IQuartzBuilder quartz, string db, SchedulingOptions schedule)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        ArgumentNullException.ThrowIfNull(schedule);
        quartz.ConfigureScheduler(o => o.GenerateInstanceId = true);
        quartz.UseDefaultThreadPool(2);
        if (!UsageStore.IsPostgres(db))
        {
            quartz.UseInMemoryStore();
            return;
        }

        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(p => p.ConnectionString = PostgresUsageStore.NormalizeConnectionString(db));
            store.UseClustering(c =>
            {
                c.CheckinInterval = schedule.ClusterCheckinInterval;
                c.CheckinMisfireThreshold = schedule.ClusterCheckinMisfireThreshold;
            });
            store.UseSystemTextJsonSerializer();
            store.ProvisionSchema();
        });
    }
}
