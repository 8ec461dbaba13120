using Quartz;

namespace AgentRegistry.Infrastructure.Scheduling;

/// <summary>
/// Starts the scheduler after the start-up migrations, with every <see cref="ScheduledJob"/> scheduled at its
/// configured interval (a job turned off is removed from a persistent store). A scheduler that cannot start is
/// logged and reported by <see cref="SchedulerHealthCheck"/>; the registry keeps serving requests.
/// </summary>
internal sealed class SchedulerHost(ISchedulerFactory factory, IEnumerable<ScheduledJob> jobs, IServiceProvider services,
    ILogger<SchedulerHost> log) : IHostedService
{
    private IScheduler? _scheduler;

    /// <summary>Why the scheduler is not running, when it failed to start.</summary>
    public string? Failure { get; private set; }

    public IScheduler? Scheduler => _scheduler;

    public async Task StartAsync(CancellationToken ct)
    {
        try
        {
            _scheduler = await factory.GetScheduler(ct);
            foreach (var job in jobs) await ScheduleAsync(_scheduler, job, ct);
            await _scheduler.Start(ct);
            log.LogInformation("Scheduler {Instance} started", _scheduler.SchedulerInstanceId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Failure = e.GetType().Name;
            log.LogError(e, "The scheduler did not start; periodic jobs do not run until the registry is restarted");
        }
    }

    private async Task ScheduleAsync(IScheduler scheduler, ScheduledJob job, CancellationToken ct)
    {
        var interval = job.Interval(services);
        var jobKey = new JobKey(job.Name, SchedulerSetup.Group);
        var triggerKey = new TriggerKey(job.Name, SchedulerSetup.Group);
        if (interval <= TimeSpan.Zero)
        {
            await scheduler.DeleteJob(jobKey, ct);
            return;
        }
        // Replicas starting one after another keep the stored schedule unless its interval (or cron expression) changed.
        var stored = await scheduler.GetTrigger(triggerKey, ct);
        var same = job.Cron is { } cron ? stored is ICronTrigger c && c.CronExpressionString == cron
            : stored is ISimpleTrigger simple && simple.RepeatInterval == interval;
        if (same && stored!.JobKey.Equals(jobKey)
            && await scheduler.GetTriggerState(triggerKey, ct) is not (TriggerState.Error or TriggerState.Complete or TriggerState.None))
            return;
        var detail = JobBuilder.Create().OfType(job.Job).WithIdentity(jobKey).DisallowConcurrentExecution().WithDescription($"Runs {job.Work.Name}").Build();
        var builder = TriggerBuilder.Create().WithIdentity(triggerKey).ForJob(jobKey);
        var trigger = job.Cron is { } expression
            ? builder.WithCronSchedule(expression, s => s.InTimeZone(TimeZoneInfo.Utc)).Build()
            // Quartz runs on the container's TimeProvider, the registry's clock: the first fire is one interval from now on it.
            : builder.StartAt(services.GetRequiredService<TimeProvider>().GetUtcNow() + interval)
                // After downtime, skip the missed fires and run at the next due time: periodic work catches up in one pass.
                .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
                .Build();
        await scheduler.ScheduleJob(detail, trigger, new ScheduleJobOptions { Replace = true }, ct);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_scheduler is not { } scheduler) return;
        try
        {
            // Running work is asked to stop (its token) and waited for until the host's stop deadline; a scheduler that
            // failed to start has none.
            await scheduler.Shutdown(waitForJobsToComplete: Failure is null, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.LogWarning("Scheduled work still running at the stop deadline was abandoned");
        }
        // Past the deadline Quartz stops waiting but goes on shutting down by itself. Until it is down, its PostgreSQL
        // cluster manager and misfire handler (foreground threads) go on using the database and keep the process alive,
        // so the host does not count as stopped before that (bounded: a shutdown that hangs is logged, not waited for).
        for (var i = 0; scheduler.Status != SchedulerStatus.Shutdown; i++)
        {
            if (i == ShutdownPolls)
            {
                log.LogError("The scheduler did not shut down within {Seconds} s of the stop", ShutdownPolls * ShutdownPoll.TotalSeconds);
                return;
            }
            await Task.Delay(ShutdownPoll, CancellationToken.None);
        }
    }

    private static readonly TimeSpan ShutdownPoll = TimeSpan.FromMilliseconds(50);
    private const int ShutdownPolls = 600;
}
