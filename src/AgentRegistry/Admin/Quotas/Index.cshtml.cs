using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Admin.Quotas;

public sealed record QuotaRow(TenantQuotaSnapshot Snapshot, string Access);

public sealed class IndexModel(RegistryDb db) : AdminListPage<QuotaRow>
{
    [BindProperty(SupportsGet = true)] public string? Metric { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Tenant { get; set; }

    public override string Title => "Quota snapshots";

    protected override IQueryable<QuotaRow> Query(string? term) => db.QuotaSnapshots
        .Join(db.Accesses, q => q.AccessId, a => a.Id, (q, a) => new { q, Access = a.Name })
        .Where(x => term == null || x.Access.ToLower().Contains(term) || x.q.Metric.Contains(term))
        .Where(x => Metric == null || x.q.Metric == Metric)
        .Where(x => Tenant == null || x.q.TenantId == Tenant)
        .OrderByDescending(x => x.q.Period).ThenBy(x => x.q.Id)
        .Select(x => new QuotaRow(x.q, x.Access));

    protected override IEnumerable<Column<QuotaRow>> Columns() =>
    [
        new("Period", r => r.Snapshot.Period, r => $"/admin/quotas/details/{r.Snapshot.Id}"),
        new("Access", r => r.Access, r => AdminLinks.Access(r.Snapshot.AccessId)),
        new("Metric", r => r.Snapshot.Metric),
        new("Used", r => r.Snapshot.Used),
        new("Limit", r => r.Snapshot.Limit),
        new("Taken", r => r.Snapshot.TakenAt),
    ];

    protected override async Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
    [
        new("metric", "Metric", Metrics.Known.Select(m => new FilterOption(m, m)).ToList(), Metric),
        new("tenant", "Tenant", await AdminChoices.TenantsAsync(db, ct), Tenant?.ToString()),
    ];
}
