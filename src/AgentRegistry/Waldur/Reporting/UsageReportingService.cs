using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur.Client;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Waldur.Reporting;

/// <summary>
/// Runs a <see cref="UsageReporter"/> pass every <c>Metering:ReportSeconds</c>; the pass takes the
/// <see cref="UsageReporter.Lease"/> job lease, so one replica reports at a time.
/// </summary>
public sealed class UsageReportingService(IServiceScopeFactory scopes, IOptions<UsageReportingOptions> options,
    IOptions<WaldurOptions> waldur, TimeProvider clock, ILogger<UsageReportingService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.ReportSeconds;
        if (seconds <= 0) return;
        if (!waldur.Value.Enabled)
        {
            log.LogInformation("Usage is not reported to Waldur: the Waldur integration is off.");
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateSystemScope("usage-report");
                    var r = await scope.ServiceProvider.GetRequiredService<UsageReporter>().RunAsync(stoppingToken);
                    if (r.Busy) continue;
                    log.Log(r.Failed + r.Rejected + r.Refused > 0 ? LogLevel.Warning : LogLevel.Debug,
                        "Usage reporting: {Sent} sent, {Skipped} skipped, {Rejected} rejected, {Failed} failed, {Refused} refused as lowering",
                        r.Sent, r.Skipped, r.Rejected, r.Failed, r.Refused);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Usage reporting failed; retrying next pass");
                }
            }
        }
        catch (OperationCanceledException) { }
    }
}
