using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Widget;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Admin.Widgets;

public sealed record WidgetRow(ChatWidget Widget, string Tenant, string Access);

/// <summary>Every tenant's widgets: where they may run and whether they are on.</summary>
public sealed class IndexModel(RegistryDb db) : AdminListPage<WidgetRow>
{
    [BindProperty(SupportsGet = true)] public Guid? Tenant { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Access { get; set; }
    [BindProperty(SupportsGet = true)] public bool? Enabled { get; set; }

    public override string Title => "Widgets";

    protected override IQueryable<WidgetRow> Query(string? term) => db.Widgets
        .Join(db.Accesses, w => w.AccessId, a => a.Id, (w, a) => new { w, Access = a.Name, Tenant = a.Tenant!.Name })
        .Where(x => term == null || x.w.Name.ToLower().Contains(term) || x.w.Key.Contains(term) || x.Access.ToLower().Contains(term) || x.Tenant.ToLower().Contains(term))
        .Where(x => Tenant == null || x.w.TenantId == Tenant)
        .Where(x => Access == null || x.w.AccessId == Access)
        .Where(x => Enabled == null || x.w.Enabled == Enabled)
        .OrderByDescending(x => x.w.CreatedAt).ThenBy(x => x.w.Id)
        .Select(x => new WidgetRow(x.w, x.Tenant, x.Access));

    protected override IEnumerable<Column<WidgetRow>> Columns() =>
    [
        new("Name", r => r.Widget.Name, r => AdminLinks.Widget(r.Widget.Id)),
        new("Tenant", r => r.Tenant, r => AdminLinks.Tenant(r.Widget.TenantId)),
        new("Access", r => r.Access, r => AdminLinks.Access(r.Widget.AccessId)),
        new("Allowed origins", r => string.Join(", ", r.Widget.AllowedOrigins)),
        new("Enabled", r => r.Widget.Enabled),
        new("Created", r => r.Widget.CreatedAt),
    ];

    protected override async Task<IReadOnlyList<Filter>> FiltersAsync(CancellationToken ct) =>
    [
        new("tenant", "Tenant", await AdminChoices.TenantsAsync(db, ct), Tenant?.ToString()),
        new("enabled", "Enabled", [new("true", "yes"), new("false", "no")], Enabled?.ToString().ToLowerInvariant()),
    ];
}
