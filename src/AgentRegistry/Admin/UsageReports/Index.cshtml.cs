using AgentRegistry.Access;
using AgentRegistry.Waldur;
using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur.Reporting;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Admin.UsageReports;

public sealed record ReportRow(WaldurUsageReport Report, string Access);

/// <summary>Every attempt to report usage to Waldur, newest first, with Waldur's answer.</summary>
public sealed class IndexModel(RegistryDb db) : AdminListPage<ReportRow>
{
    [BindProperty(SupportsGet = true)] public UsageReportOutcome? Outcome { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Tenant { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Access { get; set; }
    /// <summary>Only attempts at or after this time (UTC), e.g. the last day from the admin home.</summary>
    [BindProperty(SupportsGet = true)] public DateTime? Since { get; set; }

    public override string Title => "Waldur usage reports";

    protected override IQueryable<ReportRow> Query(string? term) => db.UsageReports
        .Join(db.Accesses, r => r.AccessId, a => a.Id, (r, a) => new { r, Access = a.Name })
        .Where(x => term == null || x.r.ComponentType.ToLower().Contains(term) || x.Access.ToLower().Contains(term)
            || (x.r.Answer != null && x.r.Answer.ToLower().Contains(term)))
        .Where(x => Outcome == null || x.r.Outcome == Outcome)
        .Where(x => Tenant == null || x.r.TenantId == Tenant)
        .Where(x => Access == null || x.r.AccessId == Access)
        .Where(x => Since == null || x.r.AttemptedAt >= Since)
        .OrderByDescending(x => x.r.AttemptedAt).ThenByDescending(x => x.r.Id)
        .Select(x => new ReportRow(x.r, x.Access));

    protected override IEnumerable<Column<ReportRow>> Columns() =>
    [
        new("Id", r => r.Report.Id, r => AdminLinks.UsageReport(r.Report.Id)),
        new("Attempted", r => r.Report.AttemptedAt),
        new("Access", r => r.Access, r => AdminLinks.Access(r.Report.AccessId)),
        new("Component", r => r.Report.ComponentType),
        new("Month", r => r.Report.Period),
        new("Amount", r => r.Report.Amount),
        new("Outcome", r => r.Report.Outcome),
        new("Waldur status", r => r.Report.StatusCode),
        new("Answer", r => r.Report.Answer is { Length: > 120 } a ? a[..120] + "…" : r.Report.Answer),
    ];

    protected override async Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
    [
        new("outcome", "Outcome", AdminFormat.Options<UsageReportOutcome>(), Outcome?.ToString()),
        new("tenant", "Tenant", await AdminChoices.TenantsAsync(db, ct), Tenant?.ToString()),
    ];
}
