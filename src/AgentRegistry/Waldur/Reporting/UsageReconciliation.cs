using AgentRegistry.Access;
using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using AgentRegistry.Waldur.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Waldur.Reporting;

/// <summary>
/// How one (access, component, month) row of a reconciliation compares. When several differences apply, the first
/// in this order after <see cref="Match"/> is shown: what Waldur bills outranks the registry's own summaries.
/// </summary>
public enum ReconciliationStatus
{
    /// <summary>Waldur holds the expected amount and the daily summaries add up to the raw records.</summary>
    Match,
    /// <summary>Waldur could not be read back (network, timeout, error answer, integration off); nothing is compared with it.</summary>
    WaldurUnreachable,
    /// <summary>Waldur differs from the expected amount and the last report attempt was rejected (resource not OK, unknown component).</summary>
    ReportRejected,
    /// <summary>Waldur differs from the expected amount and the last report attempt failed (Waldur down); it is retried.</summary>
    ReportFailing,
    /// <summary>There is usage but Waldur holds nothing for the component.</summary>
    NotReported,
    /// <summary>Waldur holds less than the expected amount.</summary>
    WaldurBehind,
    /// <summary>Waldur holds more than the expected amount (or usage of a component the plan does not report).</summary>
    WaldurAhead,
    /// <summary>Waldur matches, but the daily summaries of the month do not add up to the raw records (not aggregated yet).</summary>
    SummaryBehind,
}

/// <summary>The latest attempt to report a component's month-to-date amount.</summary>
public sealed record LastUsageReport(UsageReportOutcome Outcome, decimal Amount, int? StatusCode, string? Answer, DateTime AttemptedAt);

/// <summary>
/// One access (a Waldur resource), component and UTC month: the raw sum in whole units of the metric, the amount it
/// bills (<see cref="BilledUsage"/>), the daily summaries converted the same way, what Waldur holds, and the verdict.
/// </summary>
public sealed record ReconciliationRow(
    Guid TenantId, string Tenant, Guid AccessId, string Access, Guid ResourceUuid, DateOnly Month,
    string ComponentType, string Metric, long RawQuantity, decimal Expected, long SummarisedQuantity, decimal Summarised,
    decimal? Waldur, LastUsageReport? LastReport, ReconciliationStatus Status, string? Note, string Plan = "")
{
    public bool IsDifference => Status != ReconciliationStatus.Match;
}

/// <summary>
/// Compares, per access, reportable plan component and UTC month, the raw usage records, the daily summaries and
/// the usage Waldur holds (read back with one call per resource and month), and names every difference. Accesses
/// without a Waldur resource are not billed through Waldur and are left out. Components come from the plan in force in
/// each part of the month (the access's plan periods): after a plan switch in the month, each plan is compared over its
/// own part, with the usage, reports and Waldur's usages of that part (Waldur files usages under the plan period in force
/// at their date). Waldur being unreachable never throws: the affected rows say so.
/// </summary>
public sealed class UsageReconciliation(RegistryDb db, WaldurClient waldur, IOptions<WaldurOptions> options, ILogger<UsageReconciliation> log)
{
    public async Task<IReadOnlyList<ReconciliationRow>> ReconcileAsync(DateOnly month, Guid? accessId, CancellationToken ct)
    {
        month = BillingMonths.Of(month);
        var from = month.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var to = from.AddMonths(1);
        var next = month.AddMonths(1);

        var accesses = await db.Accesses.AsNoTracking()
            .Where(a => a.WaldurResourceUuid != null && (accessId == null || a.Id == accessId))
            .Where(a => a.CreatedAt < to && (a.TerminatedAt == null || a.TerminatedAt >= from))
            .OrderBy(a => a.Tenant!.Name).ThenBy(a => a.Name).ThenBy(a => a.Id)
            .Select(a => new { a.Id, a.TenantId, Tenant = a.Tenant!.Name, a.Name, Agent = a.Agent!.Name, Resource = a.WaldurResourceUuid!.Value, a.Plan!.Components, Plan = a.Plan.Name, a.PlanSince })
            .ToListAsync(ct);
        if (accesses.Count == 0) return [];

        var raw = (await db.UsageRecords.AsNoTracking()
            .Where(u => u.OccurredAt >= from && u.OccurredAt < to && (accessId == null || u.AccessId == accessId))
            .GroupBy(u => new { u.AccessId, u.Metric }).Select(g => new { g.Key.AccessId, g.Key.Metric, Sum = g.Sum(u => (double)u.Quantity) })
            .ToListAsync(ct)).ToDictionary(x => (x.AccessId, x.Metric), x => UsageTotals.Of(x.Sum));
        var summarised = (await db.DailyUsageSummaries.AsNoTracking()
            .Where(d => d.Day >= month && d.Day < next && (accessId == null || d.AccessId == accessId))
            .GroupBy(d => new { d.AccessId, d.Metric }).Select(g => new { g.Key.AccessId, g.Key.Metric, Sum = g.Sum(d => (double)d.Quantity) })
            .ToListAsync(ct)).ToDictionary(x => (x.AccessId, x.Metric), x => UsageTotals.Of(x.Sum));
        var latest = db.UsageReports.Where(r => r.Period == month && (accessId == null || r.AccessId == accessId))
            .GroupBy(r => new { r.AccessId, r.ComponentType }).Select(g => g.Max(r => r.Id));
        var reports = (await db.UsageReports.AsNoTracking().Where(r => latest.Contains(r.Id)).ToListAsync(ct))
            .ToDictionary(r => (r.AccessId, r.ComponentType), r => new LastUsageReport(r.Outcome, r.Amount, r.StatusCode, r.Answer, r.AttemptedAt));
        var periods = await Access.AccessPlanPeriods.OverlappingAsync(db, [.. accesses.Select(a => a.Id)], from, to, ct);

        var held = await ReadWaldurAsync(accesses.Select(a => a.Resource).Distinct(), month, ct);
        var rows = new List<ReconciliationRow>();
        foreach (var a in accesses)
        {
            var name = a.Name.Length > 0 ? a.Name : a.Agent;
            var (usages, error) = held[a.Resource];
            // The plans in force in the month, each over its part of it (the first from the month's start, the last to its
            // end); without a recorded period, the current plan from its switch on, as before periods were kept.
            var segments = periods[a.Id].Select(p => new PlanSegment(p.Plan!.Name, p.Plan.Components, p.From)).ToList();
            if (segments.Count == 0) segments.Add(new PlanSegment(a.Plan, a.Components, a.PlanSince > from && a.PlanSince < to ? a.PlanSince.Value : from));
            // The first part starts with the month, unless it starts with a switch whose earlier plan was not recorded
            // (periods kept since the switch only): the usage before it was the unknown plan's.
            var first = a.PlanSince > from && a.PlanSince < to && a.PlanSince <= segments[0].From ? segments[0].From : from;
            for (var i = 0; i < segments.Count; i++)
            {
                var segment = segments[i];
                var segmentFrom = i == 0 ? first : segment.From;
                var segmentTo = i + 1 < segments.Count ? segments[i + 1].From : to;
                var whole = segmentFrom == from && segmentTo == to;
                var segmentRaw = raw;
                var segmentSummaries = summarised;
                var segmentReports = reports;
                var segmentUsages = usages;
                var note = error;
                if (!whole)
                {
                    // The daily summaries cannot split a switch day, so the segment's raw sum stands for them.
                    var sums = (await db.UsageRecords.AsNoTracking().Where(u => u.AccessId == a.Id && u.OccurredAt >= segmentFrom && u.OccurredAt < segmentTo)
                        .GroupBy(u => u.Metric).Select(g => new { g.Key, Sum = g.Sum(u => (double)u.Quantity) }).ToListAsync(ct))
                        .ToDictionary(g => (a.Id, g.Key), g => UsageTotals.Of(g.Sum));
                    segmentRaw = segmentSummaries = sums;
                    var ids = await db.UsageReports.AsNoTracking().Where(r => r.AccessId == a.Id && r.Period == month && r.AttemptedAt >= segmentFrom && (i + 1 == segments.Count || r.AttemptedAt < segmentTo))
                        .GroupBy(r => r.ComponentType).Select(g => g.Max(r => r.Id)).ToListAsync(ct);
                    segmentReports = (await db.UsageReports.AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync(ct))
                        .ToDictionary(r => (r.AccessId, r.ComponentType), r => new LastUsageReport(r.Outcome, r.Amount, r.StatusCode, r.Answer, r.AttemptedAt));
                    // Waldur files usages under the plan period in force at their date.
                    segmentUsages = usages is null ? null : [.. usages.Where(u => u.Date is not { } d ? i + 1 == segments.Count : d.UtcDateTime >= segmentFrom && d.UtcDateTime < segmentTo)];
                    note ??= $"Plan {segment.Plan} from {segmentFrom:yyyy-MM-dd HH:mm} to {segmentTo:yyyy-MM-dd HH:mm} UTC.";
                }
                rows.AddRange(Compare(a.TenantId, a.Tenant, a.Id, name, a.Resource, month, segment, segmentRaw, segmentSummaries, segmentReports, segmentUsages, note));
            }
        }
        return rows;
    }

    /// <summary>A plan in force from <see cref="From"/> until the next segment or the month's end.</summary>
    private sealed record PlanSegment(string Plan, List<PlanComponent> Components, DateTime From);

    private static IEnumerable<ReconciliationRow> Compare(Guid tenantId, string tenant, Guid accessId, string name, Guid resource, DateOnly month,
        PlanSegment segment, Dictionary<(Guid, string), long> raw, Dictionary<(Guid, string), long> summarised,
        Dictionary<(Guid, string), LastUsageReport> reports, IReadOnlyList<WaldurComponentUsage>? usages, string? note)
    {
        var components = BilledUsage.Reportable(segment.Components).ToList();
        foreach (var c in components)
        {
            var metric = QuotaTracker.MetricOf(c);
            var quantity = raw.GetValueOrDefault((accessId, metric));
            var summary = summarised.GetValueOrDefault((accessId, metric));
            var stored = usages?.Where(u => u.Type == c.Type).ToList();
            decimal? inWaldur = stored is { Count: > 0 } ? stored.Sum(u => u.Usage) : null;
            var report = reports.GetValueOrDefault((accessId, c.Type));
            var expected = BilledUsage.Amount(quantity, c);
            var status = StatusOf(expected, usages is null ? null : inWaldur ?? 0m, inWaldur is null, report, quantity == summary);
            yield return new(tenantId, tenant, accessId, name, resource, month, c.Type, metric, quantity, expected, summary,
                BilledUsage.Amount(summary, c), inWaldur, report, status, note, segment.Plan);
        }
        // Usage Waldur holds for a component the plan does not report is billed but not expected.
        foreach (var extra in (usages ?? []).Where(u => components.All(c => c.Type != u.Type)).GroupBy(u => u.Type))
        {
            var amount = extra.Sum(u => u.Usage);
            yield return new(tenantId, tenant, accessId, name, resource, month, extra.Key, "", 0, 0m, 0, 0m, amount,
                reports.GetValueOrDefault((accessId, extra.Key)), amount == 0 ? ReconciliationStatus.Match : ReconciliationStatus.WaldurAhead,
                "Not a reportable component of the plan in force.", segment.Plan);
        }
    }

    private static ReconciliationStatus StatusOf(decimal expected, decimal? waldur, bool absent, LastUsageReport? report, bool summariesAddUp)
    {
        if (waldur is not { } held) return ReconciliationStatus.WaldurUnreachable;
        if (held != expected)
        {
            return report?.Outcome switch
            {
                UsageReportOutcome.Rejected => ReconciliationStatus.ReportRejected,
                UsageReportOutcome.Failed => ReconciliationStatus.ReportFailing,
                _ when absent => ReconciliationStatus.NotReported,
                _ => held < expected ? ReconciliationStatus.WaldurBehind : ReconciliationStatus.WaldurAhead,
            };
        }
        return summariesAddUp ? ReconciliationStatus.Match : ReconciliationStatus.SummaryBehind;
    }

    /// <summary>
    /// Waldur's stored usages per resource for the month, or why they could not be read. One call per resource; after
    /// a failure without any answer (network, timeout) the remaining resources are not tried.
    /// </summary>
    private async Task<Dictionary<Guid, (IReadOnlyList<WaldurComponentUsage>? Usages, string? Error)>> ReadWaldurAsync(
        IEnumerable<Guid> resources, DateOnly month, CancellationToken ct)
    {
        var result = new Dictionary<Guid, (IReadOnlyList<WaldurComponentUsage>?, string?)>();
        string? unreachable = options.Value.Enabled ? null : "The Waldur integration is off: set Waldur:ApiUrl and Waldur:Token.";
        foreach (var resource in resources)
        {
            if (unreachable is not null) { result[resource] = (null, unreachable); continue; }
            try
            {
                result[resource] = (await waldur.ListComponentUsagesAsync(resource, month, ct), null);
            }
            catch (WaldurApiException e)
            {
                log.LogWarning("Reconciliation could not read the usage of resource {Resource} from Waldur: {Error}", resource, e.Message);
                result[resource] = (null, e.Message);
                if (e.StatusCode is null) unreachable = $"Not read: Waldur was unreachable for an earlier resource ({e.Message}).";
            }
        }
        return result;
    }
}

/// <summary>A reconciliation month as people write it: <c>YYYY-MM</c>, a UTC calendar month.</summary>
public static class ReconciliationMonth
{
    public static bool TryParse(string? text, out DateOnly month) =>
        DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out month);

    public static string Format(DateOnly month) => month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
