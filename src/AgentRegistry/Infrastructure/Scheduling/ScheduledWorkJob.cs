using Quartz;

namespace AgentRegistry.Infrastructure.Scheduling;

/// <summary>
/// Runs one <see cref="IScheduledWork"/> for the scheduler. Never two fires of the same job at once, on any replica;
/// failures are logged and left to the next fire, and a shutdown cancels the work.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class ScheduledWorkJob<TWork>(IServiceScopeFactory scopes, ILogger<ScheduledWorkJob<TWork>> log) : IJob
    where TWork : class, IScheduledWork
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var name = context.JobDetail.Key.Name;
        try
        {
            await using var scope = scopes.CreateSystemScope(name);
            var fire = scope.ServiceProvider.GetRequiredService<ScheduledFire>();
            fire.FireInstanceId = context.FireInstanceId;
            fire.ScheduledAt = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
            fire.InstanceId = context.Scheduler.SchedulerInstanceId;
            await scope.ServiceProvider.GetRequiredService<TWork>().RunAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.LogInformation("Scheduled job {Job} stopped by shutdown", name);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Scheduled job {Job} failed; the next fire retries", name);
        }
    }
}
