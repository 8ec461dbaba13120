using AgentRegistry.Identity;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Metering;

public sealed record UsageDay(DateOnly Day, string Metric, long Quantity);

public sealed record UsageLimit(string Type, string Name, string Metric, long UnitSize, decimal? Limit, bool HardLimit);

/// <summary>A soft quota threshold (percent of a plan limit) an access crossed in a month.</summary>
public sealed record UsageAlert(Guid AccessId, string Metric, DateOnly Period, int Threshold, long Used, long Limit, DateTime RaisedAt);

public sealed record UsageReport(Guid? AccessId, Guid TenantId, DateOnly From, DateOnly To, string Granularity,
    IReadOnlyList<UsageDay> Days, IReadOnlyDictionary<string, long> Totals, IReadOnlyList<UsageLimit> Limits,
    IReadOnlyList<UsageAlert> Alerts);

/// <summary>Usage per day from the daily summaries, with days not yet aggregated (today, by default) taken from raw records.</summary>
internal static class UsageApi
{
    public static void MapUsageApi(this IEndpointRouteBuilder routes)
    {
        // Members reach their own tenant only: the data layer's filter makes other tenants' accesses 404.
        routes.MapGet("/api/v1/accesses/{id:guid}/usage", ForAccess).WithTags("Usage").RequireAuthorization(Policies.Person);
        routes.MapGet("/api/v1/tenants/{id:guid}/usage", ForTenant).WithTags("Usage").RequireAuthorization(Policies.Person);
    }

    private static (DateOnly From, DateOnly To) Range(DateOnly? from, DateOnly? to, string? granularity)
    {
        if (granularity is not (null or "day")) throw new FieldException("granularity", "Only day is supported.");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var f = from ?? new DateOnly(today.Year, today.Month, 1);
        var t = to ?? today;
        if (t < f) throw new FieldException("to", "to must not be before from.");
        if (t.DayNumber - f.DayNumber > 400) throw new FieldException("from", "Ask for at most 400 days.");
        return (f, t);
    }

    private static async Task<IResult> ForAccess(Guid id, DateOnly? from, DateOnly? to, string? granularity, RegistryDb db, CancellationToken ct)
    {
        var (f, t) = Range(from, to, granularity);
        var access = await db.Accesses.AsNoTracking().Where(a => a.Id == id).Select(a => new { a.TenantId, a.Plan!.Components }).FirstOrDefaultAsync(ct);
        if (access is null) return TypedResults.NotFound();
        var days = await DaysAsync(db, [id], f, t, ct);
        return TypedResults.Ok(new UsageReport(id, access.TenantId, f, t, "day", days, Totals(days),
            access.Components.Select(c => new UsageLimit(c.Type, c.Name, QuotaTracker.MetricOf(c), c.UnitSize, c.Limit, c.HardLimit)).ToList(),
            await AlertsAsync(db.QuotaAlerts.Where(a => a.AccessId == id), f, t, ct)));
    }

    private static async Task<IResult> ForTenant(Guid id, DateOnly? from, DateOnly? to, string? granularity, RegistryDb db, CancellationToken ct)
    {
        var (f, t) = Range(from, to, granularity);
        if (!await db.Tenants.AnyAsync(x => x.Id == id, ct)) return TypedResults.NotFound();
        var accesses = await db.Accesses.Where(a => a.TenantId == id).Select(a => a.Id).ToListAsync(ct);
        var days = (await DaysAsync(db, accesses, f, t, ct)).GroupBy(d => (d.Day, d.Metric))
            .Select(g => new UsageDay(g.Key.Day, g.Key.Metric, UsageTotals.Sum(g, x => x.Quantity))).OrderBy(d => d.Day).ThenBy(d => d.Metric).ToList();
        return TypedResults.Ok(new UsageReport(null, id, f, t, "day", days, Totals(days), [],
            await AlertsAsync(db.QuotaAlerts.Where(a => a.TenantId == id), f, t, ct)));
    }

    /// <summary>Alerts of the months the range touches.</summary>
    private static Task<List<UsageAlert>> AlertsAsync(IQueryable<QuotaAlert> alerts, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var first = QuotaTracker.MonthOf(from.ToDateTime(TimeOnly.MinValue));
        return alerts.AsNoTracking().Where(a => a.Period >= first && a.Period <= to).OrderBy(a => a.Period).ThenBy(a => a.RaisedAt)
            .Select(a => new UsageAlert(a.AccessId, a.Metric, a.Period, a.Threshold, a.Used, a.Limit, a.RaisedAt)).ToListAsync(ct);
    }

    private static Dictionary<string, long> Totals(IEnumerable<UsageDay> days) =>
        days.GroupBy(d => d.Metric).ToDictionary(g => g.Key, g => UsageTotals.Sum(g, d => d.Quantity));

    /// <summary>Summaries for the days they exist, raw sums for the days without any summary (today, or not yet aggregated).</summary>
    private static async Task<List<UsageDay>> DaysAsync(RegistryDb db, List<Guid> accesses, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var result = new List<UsageDay>();
        foreach (var access in accesses)
        {
            var summarized = await db.DailyUsageSummaries.AsNoTracking().Where(d => d.AccessId == access && d.Day >= from && d.Day <= to)
                .Select(d => new UsageDay(d.Day, d.Metric, d.Quantity)).ToListAsync(ct);
            var covered = summarized.Select(d => d.Day).ToHashSet();
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var raw = await db.UsageRecords.AsNoTracking().Where(u => u.AccessId == access && u.OccurredAt >= start && u.OccurredAt < end)
                .Select(u => new { u.OccurredAt, u.Metric, u.Quantity }).ToListAsync(ct);
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            result.AddRange(summarized.Where(d => d.Day != today));
            result.AddRange(raw.GroupBy(r => (Day: DateOnly.FromDateTime(r.OccurredAt), r.Metric))
                .Where(g => !covered.Contains(g.Key.Day) || g.Key.Day == today)
                .Select(g => new UsageDay(g.Key.Day, g.Key.Metric, UsageTotals.Sum(g, r => r.Quantity))));
        }
        return result.OrderBy(d => d.Day).ThenBy(d => d.Metric).ToList();
    }
}
