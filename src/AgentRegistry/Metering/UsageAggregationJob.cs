using AgentRegistry.Infrastructure.Scheduling;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Metering;

/// <summary>Re-aggregates the records of the last <c>Metering:AggregateLookbackDays</c>, every <c>Metering:AggregateSeconds</c>.</summary>
public sealed class UsageAggregationJob(UsageAggregator aggregator, IOptions<MeteringOptions> options, TimeProvider clock,
    ILogger<UsageAggregationJob> log) : IScheduledWork
{
    public async Task RunAsync(CancellationToken ct)
    {
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.AggregateLookbackDays);
        var r = await aggregator.RunAsync(since, ct);
        log.Log(r.FailedAccesses.Count > 0 ? LogLevel.Warning : LogLevel.Debug,
            "Usage aggregation: {Days} days, {Summaries} summaries, {Snapshots} snapshots changed, {Failed} access(es) failed",
            r.DaysRecomputed, r.SummariesChanged, r.SnapshotsChanged, r.FailedAccesses.Count);
    }
}
