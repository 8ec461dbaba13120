using AgentRegistry.Access;
using AgentRegistry.Tenancy;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Metering;

/// <summary>
/// Usage per day from the daily summaries, with days not yet aggregated (today, by default) taken from raw records,
/// with plan limits and quota alerts. The usage API and the portal both read it. Null answers mean the access or
/// tenant is not the caller's to see.
/// </summary>
public sealed class UsageReader(RegistryDb db, TimeProvider clock)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>The range asked for: from defaults to the first of this month, to to today; at most 400 days, by day.</summary>
    public (DateOnly From, DateOnly To) Range(DateOnly? from, DateOnly? to, string? granularity)
    {
        if (granularity is not (null or "day")) throw new FieldException("granularity", "Only day is supported.");
        var today = Today;
        var f = from ?? new DateOnly(today.Year, today.Month, 1);
        var t = to ?? today;
        if (t < f) throw new FieldException("to", "to must not be before from.");
        if (t.DayNumber - f.DayNumber > 400) throw new FieldException("from", "Ask for at most 400 days.");
        return (f, t);
    }

    public async Task<UsageReport?> ForAccessAsync(Guid id, DateOnly? from, DateOnly? to, string? granularity, CancellationToken ct)
    {
        var (f, t) = Range(from, to, granularity);
        var access = await db.Accesses.AsNoTracking().Where(a => a.Id == id).Select(a => new { a.TenantId, a.Plan!.Components }).FirstOrDefaultAsync(ct);
        if (access is null) return null;
        var days = await DaysAsync([id], f, t, ct);
        return new UsageReport(id, access.TenantId, f, t, "day", days, Totals(days),
            access.Components.Select(c => new UsageLimit(c.Type, c.Name, QuotaTracker.MetricOf(c), c.UnitSize, c.Limit, c.HardLimit)).ToList(),
            await AlertsAsync(db.QuotaAlerts.Where(a => a.AccessId == id), f, t, ct));
    }

    public async Task<UsageReport?> ForTenantAsync(Guid id, DateOnly? from, DateOnly? to, string? granularity, CancellationToken ct)
    {
        var (f, t) = Range(from, to, granularity);
        if (!await db.Tenants.AnyAsync(x => x.Id == id, ct)) return null;
        var accesses = await db.Accesses.Where(a => a.TenantId == id).Select(a => a.Id).ToListAsync(ct);
        var days = (await DaysAsync(accesses, f, t, ct)).GroupBy(d => (d.Day, d.Metric))
            .Select(g => new UsageDay(g.Key.Day, g.Key.Metric, UsageTotals.Sum(g, x => x.Quantity))).OrderBy(d => d.Day).ThenBy(d => d.Metric).ToList();
        return new UsageReport(null, id, f, t, "day", days, Totals(days), [],
            await AlertsAsync(db.QuotaAlerts.Where(a => a.TenantId == id), f, t, ct));
    }

    /// <summary>Alerts of the months the range touches.</summary>
    private static Task<List<UsageAlert>> AlertsAsync(IQueryable<QuotaAlert> alerts, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var first = BillingMonths.Of(from.ToDateTime(TimeOnly.MinValue));
        return alerts.AsNoTracking().Where(a => a.Period >= first && a.Period <= to).OrderBy(a => a.Period).ThenBy(a => a.RaisedAt)
            .Select(a => new UsageAlert(a.AccessId, a.Metric, a.Period, a.Threshold, a.Used, a.Limit, a.RaisedAt)).ToListAsync(ct);
    }

    private static Dictionary<string, long> Totals(IEnumerable<UsageDay> days) =>
        days.GroupBy(d => d.Metric).ToDictionary(g => g.Key, g => UsageTotals.Sum(g, d => d.Quantity));

    /// <summary>Summaries for the days they exist, raw sums for the days without any summary (today, or not yet aggregated).</summary>
    private async Task<List<UsageDay>> DaysAsync(List<Guid> accesses, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var result = new List<UsageDay>();
        var today = Today;
        foreach (var access in accesses)
        {
            var summarized = await db.DailyUsageSummaries.AsNoTracking().Where(d => d.AccessId == access && d.Day >= from && d.Day <= to)
                .Select(d => new UsageDay(d.Day, d.Metric, d.Quantity)).ToListAsync(ct);
            var covered = summarized.Select(d => d.Day).ToHashSet();
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var raw = await db.UsageRecords.AsNoTracking().Where(u => u.AccessId == access && u.OccurredAt >= start && u.OccurredAt < end)
                .Select(u => new { u.OccurredAt, u.Metric, u.Quantity }).ToListAsync(ct);
            result.AddRange(summarized.Where(d => d.Day != today));
            result.AddRange(raw.GroupBy(r => (Day: DateOnly.FromDateTime(r.OccurredAt), r.Metric))
                .Where(g => !covered.Contains(g.Key.Day) || g.Key.Day == today)
                .Select(g => new UsageDay(g.Key.Day, g.Key.Metric, UsageTotals.Sum(g, r => r.Quantity))));
        }
        return result.OrderBy(d => d.Day).ThenBy(d => d.Metric).ToList();
    }
}
