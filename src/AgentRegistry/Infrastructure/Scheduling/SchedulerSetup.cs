using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;
using Quartz.Impl;

namespace AgentRegistry.Infrastructure.Scheduling;

/// <summary>
/// A job: its name (job key and audit actor), its work, and its interval (zero or less: not scheduled); with a
/// <paramref name="Cron"/> expression (UTC) it fires at those times instead, while the interval is above zero.
/// </summary>
public sealed record ScheduledJob(string Name, Type Work, Type Job, Func<IServiceProvider, TimeSpan> Interval, string? Cron = null);

/// <summary>
/// Periodic jobs on Quartz.NET: in memory on SQLite (one process), and on PostgreSQL in the <c>qrtz_</c> tables,
/// clustered, so that each fire runs on exactly one replica.
/// </summary>
public static class SchedulerSetup
{
    /// <summary>Jobs live in this group; the scheduler's name is shared by every replica of one registry.</summary>
    public const string Group = "registry";
    public const string SchedulerName = "agentregistry";

    public static IServiceCollection AddRegistryScheduler(this IServiceCollection services, IConfiguration config)
    {
        var database = config.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddScoped<ScheduledFire>();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = SchedulerName;
                s.GenerateInstanceId = true;
                // A shutdown asks running work to stop (its token), then waits for it to unwind.
                s.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs;
            });
            q.UseDefaultThreadPool(4);
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                q.UseInMemoryStore();
                return;
            }
            q.UsePersistentStore(s =>
            {
                s.UsePostgres(database.EffectiveConnectionString);
                s.UseSerializer<SystemTextJsonObjectSerializer>();
                s.ConfigureStore(o => o.TablePrefix = "qrtz_");
                s.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromSeconds(10);
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(30);
                });
            });
        });
        services.AddSingleton<SchedulerHost>();
        services.AddHostedService(sp => sp.GetRequiredService<SchedulerHost>());
        services.AddHealthChecks().AddCheck<SchedulerHealthCheck>("scheduler", tags: ["dependencies"]);
        return services;
    }

    /// <summary>Runs <typeparamref name="TWork"/> every <paramref name="interval"/> (read when the host starts).</summary>
    public static IServiceCollection AddScheduledWork<TWork>(this IServiceCollection services, string name,
        Func<IServiceProvider, TimeSpan> interval) where TWork : class, IScheduledWork
    {
        services.TryAddScoped<TWork>();
        services.AddSingleton(new ScheduledJob(name, typeof(TWork), typeof(ScheduledWorkJob<TWork>), interval));
        return services;
    }

    /// <summary>Runs <typeparamref name="TWork"/> at the times of a Quartz <paramref name="cron"/> expression in UTC, while <paramref name="on"/>.</summary>
    public static IServiceCollection AddScheduledWork<TWork>(this IServiceCollection services, string name, string cron,
        Func<IServiceProvider, bool> on) where TWork : class, IScheduledWork
    {
        services.TryAddScoped<TWork>();
        services.AddSingleton(new ScheduledJob(name, typeof(TWork), typeof(ScheduledWorkJob<TWork>),
            sp => on(sp) ? TimeSpan.FromDays(1) : TimeSpan.Zero, cron));
        return services;
    }

    /// <summary>Runs <typeparamref name="TWork"/> every so many seconds of an options value; 0 turns it off.</summary>
    public static IServiceCollection AddScheduledWork<TWork, TOptions>(this IServiceCollection services, string name,
        Func<TOptions, int> seconds) where TWork : class, IScheduledWork where TOptions : class =>
        services.AddScheduledWork<TWork>(name, sp => TimeSpan.FromSeconds(seconds(sp.GetRequiredService<IOptions<TOptions>>().Value)));
}
