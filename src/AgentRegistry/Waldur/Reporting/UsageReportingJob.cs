using AgentRegistry.Infrastructure.Scheduling;

namespace AgentRegistry.Waldur.Reporting;

/// <summary>
/// Runs a <see cref="UsageReporter"/> pass every <c>Metering:ReportSeconds</c> while the Waldur integration is on. The
/// scheduler runs one fire at a time across replicas; the pass also takes the <see cref="UsageReporter.Lease"/>, which
/// keeps it apart from a pass started by the CLI.
/// </summary>
public sealed class UsageReportingJob(UsageReporter reporter, ILogger<UsageReportingJob> log) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct)
    {
        var r = await reporter.RunAsync(ct);
        if (r.Busy) return;
        log.Log(r.Failed + r.Rejected + r.Refused > 0 ? LogLevel.Warning : LogLevel.Debug,
            "Usage reporting: {Sent} sent, {Skipped} skipped, {Rejected} rejected, {Failed} failed, {Refused} refused as lowering",
            r.Sent, r.Skipped, r.Rejected, r.Failed, r.Refused);
    }
}
