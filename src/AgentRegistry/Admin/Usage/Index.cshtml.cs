using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Metering;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Admin.Usage;

public sealed record UsageRecordRow(UsageRecord Record, string Access);

public sealed class IndexModel(RegistryDb db) : AdminListPage<UsageRecordRow>
{
    [BindProperty(SupportsGet = true)] public string? Metric { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Tenant { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Access { get; set; }

    public override string Title => "Usage records";

    protected override IQueryable<UsageRecordRow> Query(string? term) => db.UsageRecords
        .Join(db.Accesses, u => u.AccessId, a => a.Id, (u, a) => new { u, Access = a.Name })
        .Where(x => term == null || x.u.IdempotencyKey.ToLower().Contains(term) || x.Access.ToLower().Contains(term))
        .Where(x => Metric == null || x.u.Metric == Metric)
        .Where(x => Tenant == null || x.u.TenantId == Tenant)
        .Where(x => Access == null || x.u.AccessId == Access)
        .OrderByDescending(x => x.u.OccurredAt).ThenByDescending(x => x.u.Id)
        .Select(x => new UsageRecordRow(x.u, x.Access));

    protected override IEnumerable<Column<UsageRecordRow>> Columns() =>
    [
        new("Id", r => r.Record.Id, r => $"/admin/usage/details/{r.Record.Id}"),
        new("Occurred", r => r.Record.OccurredAt),
        new("Access", r => r.Access, r => AdminLinks.Access(r.Record.AccessId)),
        new("Metric", r => r.Record.Metric),
        new("Quantity", r => r.Record.Quantity),
        new("Event id", r => r.Record.IdempotencyKey),
    ];

    protected override async Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
    [
        new("metric", "Metric", Metrics.Known.Select(m => new FilterOption(m, m)).ToList(), Metric),
        new("tenant", "Tenant", await AdminChoices.TenantsAsync(db, ct), Tenant?.ToString()),
    ];
}
