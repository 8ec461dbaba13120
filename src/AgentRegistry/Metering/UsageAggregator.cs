using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Metering;

public sealed record AggregationResult(int DaysRecomputed, int SummariesChanged, int SnapshotsChanged);

/// <summary>
/// Recomputes <see cref="DailyUsageSummary"/> rows and <see cref="TenantQuotaSnapshot"/> rows from the raw records, for
/// every access and UTC day (and month) that received records recorded since <c>since</c>. An upsert: running it twice
/// changes nothing, and a late event re-aggregates the day it occurred on.
/// </summary>
public sealed class UsageAggregator(RegistryDb db, TimeProvider clock)
{
    public async Task<AggregationResult> RunAsync(DateTime since, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var touched = await db.UsageRecords.AsNoTracking().Where(u => u.RecordedAt >= since)
            .Select(u => new { u.AccessId, u.OccurredAt }).ToListAsync(ct);
        var days = touched.Select(t => (t.AccessId, Day: DateOnly.FromDateTime(t.OccurredAt))).Distinct().ToList();
        int summaries = 0, snapshots = 0;
        foreach (var access in days.GroupBy(d => d.AccessId))
        {
            var tenant = await db.Accesses.AsNoTracking().Where(a => a.Id == access.Key).Select(a => new { a.TenantId, a.Plan!.Components }).SingleAsync(ct);
            foreach (var day in access.Select(d => d.Day).Distinct())
            {
                var from = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                var sums = await Sums(access.Key, from, from.AddDays(1), ct);
                var existing = await db.DailyUsageSummaries.Where(d => d.AccessId == access.Key && d.Day == day).ToListAsync(ct);
                foreach (var (metric, quantity) in sums)
                {
                    var row = existing.FirstOrDefault(e => e.Metric == metric);
                    if (row is null)
                        db.DailyUsageSummaries.Add(new DailyUsageSummary { TenantId = tenant.TenantId, AccessId = access.Key, Metric = metric, Day = day, Quantity = quantity, ComputedAt = now });
                    else if (row.Quantity != quantity) { row.Quantity = quantity; row.ComputedAt = now; }
                    else continue;
                    summaries++;
                }
            }
            foreach (var month in access.Select(d => QuotaTracker.MonthOf(d.Day.ToDateTime(TimeOnly.MinValue))).Distinct())
            {
                var from = month.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                var sums = await Sums(access.Key, from, from.AddMonths(1), ct);
                var existing = await db.QuotaSnapshots.Where(q => q.AccessId == access.Key && q.Period == month).ToListAsync(ct);
                foreach (var (metric, used) in sums)
                {
                    var component = tenant.Components.FirstOrDefault(c => QuotaTracker.MetricOf(c) == metric && c.Limit is not null);
                    long? limit = component?.Limit is { } l ? (long)Math.Ceiling(l * component.UnitSize) : null;
                    var row = existing.FirstOrDefault(e => e.Metric == metric);
                    if (row is null)
                        db.QuotaSnapshots.Add(new TenantQuotaSnapshot { TenantId = tenant.TenantId, AccessId = access.Key, Metric = metric, Period = month, Used = used, Limit = limit, TakenAt = now });
                    else if (row.Used != used || row.Limit != limit) { row.Used = used; row.Limit = limit; row.TakenAt = now; }
                    else continue;
                    snapshots++;
                }
            }
            await db.SaveChangesAsync(ct);
        }
        return new AggregationResult(days.Count, summaries, snapshots);
    }

    private async Task<Dictionary<string, long>> Sums(Guid accessId, DateTime from, DateTime to, CancellationToken ct) =>
        (await db.UsageRecords.AsNoTracking().Where(u => u.AccessId == accessId && u.OccurredAt >= from && u.OccurredAt < to)
            .GroupBy(u => u.Metric).Select(g => new { g.Key, Sum = g.Sum(u => u.Quantity) }).ToListAsync(ct))
        .ToDictionary(g => g.Key, g => g.Sum);
}
