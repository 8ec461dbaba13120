using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Admin.DailyUsage;

public sealed record DailyRow(DailyUsageSummary Summary, string Access);

public sealed class IndexModel(RegistryDb db) : AdminListPage<DailyRow>
{
    [BindProperty(SupportsGet = true)] public string? Metric { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Tenant { get; set; }

    public override string Title => "Daily usage";

    protected override IQueryable<DailyRow> Query(string? term) => db.DailyUsageSummaries
        .Join(db.Accesses, d => d.AccessId, a => a.Id, (d, a) => new { d, Access = a.Name })
        .Where(x => term == null || x.Access.ToLower().Contains(term) || x.d.Metric.Contains(term))
        .Where(x => Metric == null || x.d.Metric == Metric)
        .Where(x => Tenant == null || x.d.TenantId == Tenant)
        .OrderByDescending(x => x.d.Day).ThenBy(x => x.d.Id)
        .Select(x => new DailyRow(x.d, x.Access));

    protected override IEnumerable<Column<DailyRow>> Columns() =>
    [
        new("Day", r => r.Summary.Day, r => $"/admin/dailyusage/details/{r.Summary.Id}"),
        new("Access", r => r.Access, r => AdminLinks.Access(r.Summary.AccessId)),
        new("Metric", r => r.Summary.Metric),
        new("Quantity", r => r.Summary.Quantity),
        new("Computed", r => r.Summary.ComputedAt),
    ];

    protected override async Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
    [
        new("metric", "Metric", Metrics.Known.Select(m => new FilterOption(m, m)).ToList(), Metric),
        new("tenant", "Tenant", await AdminChoices.TenantsAsync(db, ct), Tenant?.ToString()),
    ];
}
