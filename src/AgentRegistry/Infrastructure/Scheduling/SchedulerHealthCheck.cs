using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace AgentRegistry.Infrastructure.Scheduling;

/// <summary>
/// Whether the job scheduler runs. A scheduler that failed to start degrades the registry (usage is not aggregated,
/// orders wait for webhooks) but leaves it ready: requests are still served.
/// </summary>
internal sealed class SchedulerHealthCheck(SchedulerHost host) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(host.Failure is not null
            ? HealthCheckResult.Degraded("The job scheduler did not start; periodic jobs do not run. See the log, fix the cause and restart.")
            : host.Scheduler is { Status: SchedulerStatus.Running }
                ? HealthCheckResult.Healthy("The job scheduler runs.")
                : HealthCheckResult.Degraded("The job scheduler is not running."));
}
